package cloudformation

import (
	"fmt"
	"strings"
	"time"
)

// HTTPAPI is an AWS::ApiGatewayV2::Api of ProtocolType HTTP with its stage,
// integrations and routes, as the local API Gateway serves it.
type HTTPAPI struct {
	LogicalID string
	// ID is what Ref returns: 10 lower-case letters and digits derived from
	// the stack name and logical ID, so a restart keeps the API's URL.
	ID   string
	Name string
	// Endpoint is the ApiEndpoint attribute, without a trailing slash:
	// Options.APIEndpoint(ID), where the local stack serves the API.
	Endpoint string
	// Stage is the API's $default stage; nil when the template deploys none
	// (every request then answers Not Found, as on AWS).
	Stage        *APIStage
	Integrations []APIIntegration
	Routes       []APIRoute
}

// APIStage is an HTTP API's AWS::ApiGatewayV2::Stage; only $default is served.
type APIStage struct {
	LogicalID  string
	Name       string // $default
	AutoDeploy bool
	// BurstLimit and RateLimit are DefaultRouteSettings'
	// ThrottlingBurstLimit and ThrottlingRateLimit; 0 means unset.
	BurstLimit int
	RateLimit  float64
	// AccessLogs reports AccessLogSettings: accepted, not written locally.
	AccessLogs bool
}

// APIIntegration is an AWS::ApiGatewayV2::Integration: a Lambda proxy
// integration (AWS_PROXY, payload format 2.0) with a function of the template.
type APIIntegration struct {
	LogicalID string
	ID        string // what Ref returns
	// FunctionARN is the ARN of the template's function IntegrationUri names.
	FunctionARN          string
	PayloadFormatVersion string
	// Timeout is TimeoutInMillis, default 30 s.
	Timeout time.Duration
}

// APIRoute is an AWS::ApiGatewayV2::Route.
type APIRoute struct {
	LogicalID string
	ID        string // what Ref returns
	Key       string // RouteKey, e.g. "GET /sign/{documentId}/{signer}"
	// AuthorizationType is NONE or AWS_IAM.
	AuthorizationType string
	// Target is "integrations/<integration ID>", an integration of the same API.
	Target string
}

// Lengths of the IDs API Gateway gives APIs, integrations and routes.
const (
	apiIDLength   = 10
	apiPartLength = 7
)

// integrationTargetPrefix starts a route's Target.
const integrationTargetPrefix = "integrations/"

type cfnAPI struct {
	Name, ProtocolType        string
	Body, BodyS3Location      any
	Target, RouteKey          string
	CorsConfiguration         any
	DisableExecuteApiEndpoint flexBool
}

type cfnStage struct {
	ApiId, StageName     string
	AutoDeploy           flexBool
	DefaultRouteSettings *struct {
		ThrottlingBurstLimit *flexInt
		ThrottlingRateLimit  *flexFloat
	}
	RouteSettings     map[string]any
	AccessLogSettings any
}

type cfnIntegration struct {
	ApiId, IntegrationType, IntegrationUri, PayloadFormatVersion string
	IntegrationSubtype, ConnectionType                           string
	TimeoutInMillis                                              *flexInt
	RequestParameters, ResponseParameters                        any
}

type cfnRoute struct {
	ApiId, RouteKey, AuthorizationType, Target string
}

// apiParts are a stack's stages, integrations and routes, kept until every
// API is read: resources are read in logical-ID order, parts before their
// API as often as after.
type apiParts struct {
	stages       []apiPart[APIStage]
	integrations []apiPart[APIIntegration]
	routes       []apiPart[APIRoute]
}

// apiPart is one part with the API it names and where, for errors.
type apiPart[T any] struct {
	apiID, path string
	v           T
}

func (r *resolver) httpAPI(id string) (HTTPAPI, []string, error) {
	var p cfnAPI
	_, path, err := r.properties(id, &p)
	if err != nil {
		return HTTPAPI{}, nil, err
	}
	switch {
	case p.ProtocolType != "HTTP":
		return HTTPAPI{}, nil, r.errorf(path+".ProtocolType", ErrUnsupported, "%q: the local API Gateway serves HTTP APIs only", p.ProtocolType)
	case p.Body != nil || p.BodyS3Location != nil:
		return HTTPAPI{}, nil, r.errorf(path+".Body", ErrUnsupported, "an OpenAPI definition is not read locally: declare routes and integrations as resources")
	case p.Target != "" || p.RouteKey != "":
		return HTTPAPI{}, nil, r.errorf(path+".Target", ErrUnsupported, "quick create is not served locally: declare routes and integrations as resources")
	}
	apiID, err := r.physicalName(id, path)
	if err != nil {
		return HTTPAPI{}, nil, err
	}
	var notes []string
	if p.CorsConfiguration != nil {
		notes = append(notes, fmt.Sprintf("HTTP API %s: CorsConfiguration is not applied locally (no preflight answers, no CORS headers)", id))
	}
	if p.DisableExecuteApiEndpoint {
		notes = append(notes, fmt.Sprintf("HTTP API %s disables its default endpoint; the local stack serves it there anyway", id))
	}
	return HTTPAPI{LogicalID: id, ID: apiID, Name: p.Name, Endpoint: r.env.apiEndpoint(apiID)}, notes, nil
}

func (r *resolver) apiStage(id string, parts *apiParts) ([]string, error) {
	var p cfnStage
	_, path, err := r.properties(id, &p)
	if err != nil {
		return nil, err
	}
	if p.StageName != "$default" {
		return nil, r.errorf(path+".StageName", ErrUnsupported, "%q: the local API Gateway serves the $default stage only", p.StageName)
	}
	st := APIStage{LogicalID: id, Name: p.StageName, AutoDeploy: bool(p.AutoDeploy), AccessLogs: p.AccessLogSettings != nil}
	if d := p.DefaultRouteSettings; d != nil {
		st.BurstLimit = intOr(d.ThrottlingBurstLimit, 0)
		if d.ThrottlingRateLimit != nil {
			st.RateLimit = float64(*d.ThrottlingRateLimit)
		}
	}
	if st.BurstLimit < 0 || st.RateLimit < 0 {
		return nil, r.errorf(path+".DefaultRouteSettings", ErrMalformed, "throttling limits must not be negative")
	}
	var notes []string
	if !st.AutoDeploy {
		notes = append(notes, fmt.Sprintf("stage %s is not auto-deployed; the local API Gateway serves the template's routes as deployed", id))
	}
	if len(p.RouteSettings) > 0 {
		notes = append(notes, fmt.Sprintf("stage %s: per-route throttling (RouteSettings) is not applied locally", id))
	}
	parts.stages = append(parts.stages, apiPart[APIStage]{p.ApiId, path + ".ApiId", st})
	return notes, nil
}

func (r *resolver) apiIntegration(id string, functions map[string]bool, parts *apiParts) error {
	var p cfnIntegration
	_, path, err := r.properties(id, &p)
	if err != nil {
		return err
	}
	switch {
	case p.IntegrationType != "AWS_PROXY":
		return r.errorf(path+".IntegrationType", ErrUnsupported, "%q: the local API Gateway serves Lambda proxy integrations (AWS_PROXY) only", p.IntegrationType)
	case p.IntegrationSubtype != "":
		return r.errorf(path+".IntegrationSubtype", ErrUnsupported, "%q: AWS service integrations are not served locally", p.IntegrationSubtype)
	case p.ConnectionType != "" && p.ConnectionType != "INTERNET":
		return r.errorf(path+".ConnectionType", ErrUnsupported, "%q: VPC links are not served locally", p.ConnectionType)
	case p.PayloadFormatVersion != "2.0":
		return r.errorf(path+".PayloadFormatVersion", ErrUnsupported, "%q: the local API Gateway serves payload format 2.0 only", p.PayloadFormatVersion)
	case p.RequestParameters != nil || p.ResponseParameters != nil:
		return r.errorf(path+".RequestParameters", ErrUnsupported, "parameter mapping is not applied locally")
	}
	fn := lambdaOfURI(p.IntegrationUri)
	if !functions[fn] {
		return r.errorf(path+".IntegrationUri", ErrUnsupported, "%q is not the ARN of a function of this template (Fn::GetAtt [<function>, Arn]): the local stack runs the template's own functions only", p.IntegrationUri)
	}
	timeout := intOr(p.TimeoutInMillis, 30000)
	if timeout < 50 || timeout > 30000 {
		return r.errorf(path+".TimeoutInMillis", ErrMalformed, "%d: want 50 to 30000", timeout)
	}
	integrationID, err := r.physicalName(id, path)
	if err != nil {
		return err
	}
	parts.integrations = append(parts.integrations, apiPart[APIIntegration]{p.ApiId, path + ".ApiId", APIIntegration{
		LogicalID: id, ID: integrationID, FunctionARN: fn, PayloadFormatVersion: p.PayloadFormatVersion,
		Timeout: time.Duration(timeout) * time.Millisecond}})
	return nil
}

// lambdaOfURI is the function an integration URI names: its ARN, or the
// ARN inside the Lambda invoke path that API Gateway also accepts.
func lambdaOfURI(uri string) string {
	const marker = ":lambda:path/2015-03-31/functions/"
	if _, rest, ok := strings.Cut(uri, marker); ok {
		return strings.TrimSuffix(rest, "/invocations")
	}
	return uri
}

func (r *resolver) apiRoute(id string, parts *apiParts) error {
	var p cfnRoute
	_, path, err := r.properties(id, &p)
	if err != nil {
		return err
	}
	switch p.AuthorizationType {
	case "":
		p.AuthorizationType = "NONE"
	case "NONE", "AWS_IAM":
	default:
		return r.errorf(path+".AuthorizationType", ErrUnsupported, "%q: the local API Gateway authorizes NONE and AWS_IAM routes only", p.AuthorizationType)
	}
	if !strings.HasPrefix(p.Target, integrationTargetPrefix) {
		return r.errorf(path+".Target", ErrUnsupported, "%q: the local API Gateway serves routes to an integration (integrations/<id>) only", p.Target)
	}
	routeID, err := r.physicalName(id, path)
	if err != nil {
		return err
	}
	parts.routes = append(parts.routes, apiPart[APIRoute]{p.ApiId, path + ".ApiId", APIRoute{
		LogicalID: id, ID: routeID, Key: p.RouteKey, AuthorizationType: p.AuthorizationType, Target: p.Target}})
	return nil
}

// attach gives each API its stage, integrations and routes, refusing a part
// whose ApiId names no API of the template and a route whose Target is not
// an integration of its API.
func (r *resolver) attach(apis []HTTPAPI, parts *apiParts) error {
	index := map[string]*HTTPAPI{}
	for i := range apis {
		index[apis[i].ID] = &apis[i]
	}
	find := func(apiID, path string) (*HTTPAPI, error) {
		if a := index[apiID]; a != nil {
			return a, nil
		}
		return nil, r.errorf(path, ErrMissingReference, "%q is not an HTTP API of this template", apiID)
	}
	for _, s := range parts.stages {
		a, err := find(s.apiID, s.path)
		if err != nil {
			return err
		}
		if a.Stage != nil {
			return r.errorf(s.path, ErrMalformed, "API %s has a second $default stage (%s and %s)", a.LogicalID, a.Stage.LogicalID, s.v.LogicalID)
		}
		a.Stage = &s.v
	}
	integrations := map[string]string{} // integration ID → API ID
	for _, in := range parts.integrations {
		a, err := find(in.apiID, in.path)
		if err != nil {
			return err
		}
		a.Integrations = append(a.Integrations, in.v)
		integrations[in.v.ID] = a.ID
	}
	for _, rt := range parts.routes {
		a, err := find(rt.apiID, rt.path)
		if err != nil {
			return err
		}
		if integrations[strings.TrimPrefix(rt.v.Target, integrationTargetPrefix)] != a.ID {
			return r.errorf(strings.TrimSuffix(rt.path, ".ApiId")+".Target", ErrMissingReference,
				"%q is not an integration of API %s", rt.v.Target, a.LogicalID)
		}
		a.Routes = append(a.Routes, rt.v)
	}
	return nil
}
