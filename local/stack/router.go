package stack

import (
	"encoding/json"
	"net"
	"net/http"
	"regexp"
	"strings"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/local/apigateway"
	"github.com/hitl-go/docsign/local/dynamodb"
	"github.com/hitl-go/docsign/local/kms"
	"github.com/hitl-go/docsign/local/s3"
	"github.com/hitl-go/docsign/local/sns"
)

// stepFunctionsTargetPrefix starts the X-Amz-Target of Step Functions requests.
const stepFunctionsTargetPrefix = "AWSStepFunctions."

// restAPIPath matches the dated paths of REST APIs such as Lambda's
// (/2015-03-31/functions/…); Lambda is the only REST API served.
var restAPIPath = regexp.MustCompile(`^/\d{4}-\d{2}-\d{2}/`)

// router sends each request to the service whose API it belongs to: HTTP
// APIs by their path prefix (/_api/, which no bucket name can start), the
// outbox by its path, JSON APIs (Step Functions, DynamoDB, KMS) by
// X-Amz-Target, S3 and SNS by their SigV4 credential scope (neither carries
// an X-Amz-Target; path-style S3 paths are /<bucket>/<key>, anything, and
// SNS's query protocol posts to /), Lambda's REST API by path, and the rest
// to the console. An X-Amz-Target of a service the stack does not run gets
// the error AWS gives for an unknown operation.
//
// Requests must name a loopback host and, when a browser sends them, come
// from the console's own origin: a web page elsewhere must not reach the
// stack through DNS rebinding, nor invoke functions from the user's browser.
type router struct {
	stepFunctions, dynamoDB, lambda, s3, kms, sns, apis, outbox, console http.Handler
}

func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	origin := r.Header.Get("Origin")
	switch {
	case !isLoopback(host):
		refuse(w, "the local stack answers requests to a loopback address (e.g. 127.0.0.1) only, not to "+r.Host)
	case origin != "" && origin != "http://"+r.Host:
		refuse(w, "the local stack answers browsers on its own origin only, not "+origin)
	case strings.HasPrefix(r.URL.Path, apigateway.DefaultPrefix):
		rt.apis.ServeHTTP(w, r)
	case r.URL.Path == contract.OutboxPath:
		rt.outbox.ServeHTTP(w, r)
	case strings.HasPrefix(target, stepFunctionsTargetPrefix):
		rt.stepFunctions.ServeHTTP(w, r)
	case dynamodb.Matches(r):
		rt.dynamoDB.ServeHTTP(w, r)
	case kms.Matches(r):
		rt.kms.ServeHTTP(w, r)
	case target != "":
		unknownOperation(w, target)
	case s3.Matches(r):
		rt.s3.ServeHTTP(w, r)
	case sns.Matches(r):
		rt.sns.ServeHTTP(w, r)
	case restAPIPath.MatchString(r.URL.Path):
		rt.lambda.ServeHTTP(w, r)
	default:
		rt.console.ServeHTTP(w, r)
	}
}

// refuse answers a request from where the stack does not serve.
func refuse(w http.ResponseWriter, msg string) {
	writeError(w, http.StatusForbidden, "AccessDeniedException", msg)
}

// unknownOperation answers a JSON-protocol request for a service or
// operation that is not emulated, as AWS answers an unknown operation.
func unknownOperation(w http.ResponseWriter, target string) {
	writeError(w, http.StatusBadRequest, "UnknownOperationException",
		"the local stack serves Step Functions, DynamoDB, Lambda, S3, KMS, SNS and HTTP APIs only, not "+target)
}

// writeError writes an error in the AWS JSON protocol's shape.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": msg})
}
