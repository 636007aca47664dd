package apigateway

import (
	"fmt"
	"strings"
	"time"
)

// API is one HTTP API as a template gives it: an AWS::ApiGatewayV2::Api
// (ProtocolType HTTP) with its Routes, Integrations and Stage.
type API struct {
	// ID is the API's id; the API is served under Options.Prefix + ID + "/".
	ID           string
	Routes       []Route
	Integrations []Integration
	Stage        Stage
}

// Route is an AWS::ApiGatewayV2::Route.
type Route struct {
	// Key is the RouteKey: "$default" or "<METHOD> <path>", METHOD one of
	// GET POST PUT PATCH DELETE HEAD OPTIONS ANY, path made of literal
	// segments, "{name}" segments and, last, at most one "{name+}".
	Key string
	// AuthorizationType is NONE ("" means NONE) or AWS_IAM.
	AuthorizationType string
	// Target is "integrations/<integration id>".
	Target string
}

// Integration is an AWS::ApiGatewayV2::Integration of type AWS_PROXY to a
// Lambda function with PayloadFormatVersion 2.0.
type Integration struct {
	ID string
	// Type must be AWS_PROXY.
	Type string
	// URI is the function's ARN (or name), or the
	// arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations
	// form.
	URI string
	// PayloadFormatVersion must be "2.0".
	PayloadFormatVersion string
	// Timeout is TimeoutInMillis; 0 means MaxIntegrationTimeout.
	Timeout time.Duration
}

// Stage is the API's AWS::ApiGatewayV2::Stage; only $default is served.
type Stage struct {
	// Name is "$default" ("" means $default).
	Name string
	// BurstLimit and RateLimit are DefaultRouteSettings' ThrottlingBurstLimit
	// and ThrottlingRateLimit (requests per second); 0 and 0 mean unthrottled.
	BurstLimit int
	RateLimit  float64
}

// Authorization types of a route.
const (
	AuthNone   = "NONE"
	AuthAWSIAM = "AWS_IAM"
)

// MaxIntegrationTimeout is how long API Gateway waits for an integration
// before answering 503.
const MaxIntegrationTimeout = 29 * time.Second

// api is an API ready to serve.
type api struct {
	id       string
	routes   []*route
	fallback *route // $default, or nil
	limiter  *limiter
}

// target is the function a route invokes, and for how long it waits.
type target struct {
	function string
	timeout  time.Duration
}

func compileAPI(a API) (*api, error) {
	if a.ID == "" || strings.ContainsAny(a.ID, "/?#% ") {
		return nil, fmt.Errorf("api %q: the id must be non-empty and path-safe", a.ID)
	}
	if a.Stage.Name != "" && a.Stage.Name != "$default" {
		return nil, fmt.Errorf("api %s: stage %q: only the $default stage is served", a.ID, a.Stage.Name)
	}
	targets := map[string]target{}
	for _, in := range a.Integrations {
		t, err := compileIntegration(in)
		if err != nil {
			return nil, fmt.Errorf("api %s: %w", a.ID, err)
		}
		targets["integrations/"+in.ID] = t
	}
	out := &api{id: a.ID, limiter: newLimiter(a.Stage.BurstLimit, a.Stage.RateLimit)}
	seen := map[string]bool{}
	for _, r := range a.Routes {
		rt, err := parseRoute(r.Key)
		if err != nil {
			return nil, fmt.Errorf("api %s: %w", a.ID, err)
		}
		if seen[r.Key] {
			return nil, fmt.Errorf("api %s: route %q is defined twice", a.ID, r.Key)
		}
		seen[r.Key] = true
		switch r.AuthorizationType {
		case "", AuthNone:
		case AuthAWSIAM:
			rt.iam = true
		default:
			return nil, fmt.Errorf("api %s: route %q: authorization type %q is not served", a.ID, r.Key, r.AuthorizationType)
		}
		t, ok := targets[r.Target]
		if !ok {
			return nil, fmt.Errorf("api %s: route %q: target %q is not an integration of the API", a.ID, r.Key, r.Target)
		}
		rt.target = t
		if rt.key == defaultRouteKey {
			out.fallback = rt
		} else {
			out.routes = append(out.routes, rt)
		}
	}
	return out, nil
}

func compileIntegration(in Integration) (target, error) {
	if in.Type != "AWS_PROXY" {
		return target{}, fmt.Errorf("integration %s: type %q is not served (AWS_PROXY only)", in.ID, in.Type)
	}
	if in.PayloadFormatVersion != "2.0" {
		return target{}, fmt.Errorf("integration %s: payload format version %q is not served (2.0 only)", in.ID, in.PayloadFormatVersion)
	}
	fn := functionOf(in.URI)
	if fn == "" {
		return target{}, fmt.Errorf("integration %s: no function in URI %q", in.ID, in.URI)
	}
	timeout := in.Timeout
	if timeout <= 0 || timeout > MaxIntegrationTimeout {
		timeout = MaxIntegrationTimeout
	}
	return target{function: fn, timeout: timeout}, nil
}

// functionOf extracts the function from an integration URI: API Gateway
// accepts the function ARN itself or the Lambda Invoke path that REST APIs use.
func functionOf(uri string) string {
	const marker = ":lambda:path/2015-03-31/functions/"
	if i := strings.Index(uri, marker); i >= 0 {
		return strings.TrimSuffix(uri[i+len(marker):], "/invocations")
	}
	return uri
}
