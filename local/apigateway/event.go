package apigateway

import (
	"encoding/base64"
	"mime"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is the payload format version 2.0 event a Lambda proxy integration
// receives; field names and omissions follow aws-lambda-go's
// events.APIGatewayV2HTTPRequest, whose JSON AWS sends.
type Event struct {
	Version               string            `json:"version"`
	RouteKey              string            `json:"routeKey"`
	RawPath               string            `json:"rawPath"`
	RawQueryString        string            `json:"rawQueryString"`
	Cookies               []string          `json:"cookies,omitempty"`
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters,omitempty"`
	PathParameters        map[string]string `json:"pathParameters,omitempty"`
	RequestContext        RequestContext    `json:"requestContext"`
	Body                  string            `json:"body,omitempty"`
	IsBase64Encoded       bool              `json:"isBase64Encoded"`
}

// RequestContext is the event's requestContext.
type RequestContext struct {
	AccountID    string      `json:"accountId"`
	APIID        string      `json:"apiId"`
	Authorizer   *Authorizer `json:"authorizer,omitempty"`
	DomainName   string      `json:"domainName"`
	DomainPrefix string      `json:"domainPrefix"`
	HTTP         HTTPContext `json:"http"`
	RequestID    string      `json:"requestId"`
	RouteKey     string      `json:"routeKey"`
	Stage        string      `json:"stage"`
	Time         string      `json:"time"`
	TimeEpoch    int64       `json:"timeEpoch"`
}

// HTTPContext is requestContext.http.
type HTTPContext struct {
	Method    string `json:"method"`
	Path      string `json:"path"`
	Protocol  string `json:"protocol"`
	SourceIP  string `json:"sourceIp"`
	UserAgent string `json:"userAgent"`
}

// Authorizer is requestContext.authorizer; only IAM is served.
type Authorizer struct {
	IAM *IAMAuthorizer `json:"iam"`
}

// IAMAuthorizer is requestContext.authorizer.iam: the SigV4 caller.
type IAMAuthorizer struct {
	AccessKey       string  `json:"accessKey"`
	AccountID       string  `json:"accountId"`
	CallerID        string  `json:"callerId"`
	CognitoIdentity any     `json:"cognitoIdentity"` // always null: no Cognito locally
	PrincipalOrgID  *string `json:"principalOrgId"`  // always null: no organization locally
	UserARN         string  `json:"userArn"`
	UserID          string  `json:"userId"`
}

// eventInput is what event needs besides the request.
type eventInput struct {
	api       *api
	route     *route
	rawPath   string
	params    map[string]string
	body      []byte
	requestID string
	start     time.Time
	caller    *iamCaller
}

// requestTimeLayout is requestContext.time's layout ("12/Mar/2020:19:03:58 +0000").
const requestTimeLayout = "02/Jan/2006:15:04:05 -0700"

func (s *Service) event(r *http.Request, in eventInput) *Event {
	ip := sourceIP(r)
	ev := &Event{
		Version:               "2.0",
		RouteKey:              in.route.key,
		RawPath:               in.rawPath,
		RawQueryString:        r.URL.RawQuery,
		Cookies:               cookies(r.Header),
		Headers:               headers(r, ip),
		QueryStringParameters: queryParameters(r.URL.RawQuery),
		PathParameters:        in.params,
		RequestContext: RequestContext{
			AccountID:    s.account,
			APIID:        in.api.id,
			DomainName:   r.Host,
			DomainPrefix: strings.Split(r.Host, ".")[0],
			HTTP: HTTPContext{Method: r.Method, Path: in.rawPath, Protocol: r.Proto,
				SourceIP: ip, UserAgent: r.UserAgent()},
			RequestID: in.requestID,
			RouteKey:  in.route.key,
			Stage:     "$default",
			Time:      in.start.UTC().Format(requestTimeLayout),
			TimeEpoch: in.start.UnixMilli(),
		},
	}
	if in.caller != nil {
		ev.RequestContext.Authorizer = &Authorizer{IAM: in.caller.authorizer(s.account)}
	}
	if len(in.body) > 0 {
		if isText(r.Header.Get("Content-Type"), in.body) {
			ev.Body = string(in.body)
		} else {
			ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(in.body), true
		}
	}
	return ev
}

// headers lower-cases names and joins repeated headers with commas, as
// format 2.0 does; cookies travel in their own field. Host and the
// X-Forwarded-* headers API Gateway adds are included.
func headers(r *http.Request, ip string) map[string]string {
	out := map[string]string{}
	for k, v := range r.Header {
		k = strings.ToLower(k)
		if k == "cookie" {
			continue
		}
		out[k] = strings.Join(v, ",")
	}
	if r.Host != "" {
		out["host"] = r.Host
	}
	out["x-forwarded-for"] = ip
	out["x-forwarded-proto"] = "http"
	if r.TLS != nil {
		out["x-forwarded-proto"] = "https"
	}
	if _, port, err := net.SplitHostPort(r.Host); err == nil {
		out["x-forwarded-port"] = port
	}
	return out
}

// cookies splits every Cookie header into its cookies.
func cookies(h http.Header) []string {
	var out []string
	for _, line := range h.Values("Cookie") {
		for c := range strings.SplitSeq(line, ";") {
			if c = strings.TrimSpace(c); c != "" {
				out = append(out, c)
			}
		}
	}
	return out
}

// queryParameters decodes the query, joining repeated names with commas.
func queryParameters(raw string) map[string]string {
	q, _ := url.ParseQuery(raw) // keeps what parses, as API Gateway does
	if len(q) == 0 {
		return nil
	}
	out := make(map[string]string, len(q))
	for k, v := range q {
		out[k] = strings.Join(v, ",")
	}
	return out
}

func sourceIP(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// isText reports whether a body reaches the function as text: a textual
// media type and valid UTF-8. Anything else is base64-encoded.
func isText(contentType string, body []byte) bool {
	if !utf8.Valid(body) {
		return false
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	if strings.HasPrefix(mt, "text/") || strings.HasSuffix(mt, "+json") || strings.HasSuffix(mt, "+xml") {
		return true
	}
	i := sort.SearchStrings(textTypes, mt)
	return i < len(textTypes) && textTypes[i] == mt
}

// textTypes are the non-text/* media types passed as text, sorted.
var textTypes = []string{
	"application/javascript",
	"application/json",
	"application/x-www-form-urlencoded",
	"application/xml",
}
