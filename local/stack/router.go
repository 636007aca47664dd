package stack

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"

	"github.com/hitl-go/docsign/local/dynamodb"
)

// stepFunctionsTargetPrefix starts the X-Amz-Target of Step Functions requests.
const stepFunctionsTargetPrefix = "AWSStepFunctions."

// restAPIPath matches the dated paths of REST APIs such as Lambda's
// (/2015-03-31/functions/…); Lambda is the only REST API served.
var restAPIPath = regexp.MustCompile(`^/\d{4}-\d{2}-\d{2}/`)

// router sends each request to the service whose API it belongs to: JSON
// 1.0 APIs by X-Amz-Target, Lambda's REST API by path, and the rest to the
// console. An X-Amz-Target of a service the stack does not run gets the
// error AWS gives for an unknown operation.
type router struct {
	stepFunctions, dynamoDB, lambda, console http.Handler
}

func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	switch {
	case strings.HasPrefix(target, stepFunctionsTargetPrefix):
		rt.stepFunctions.ServeHTTP(w, r)
	case dynamodb.Matches(r):
		rt.dynamoDB.ServeHTTP(w, r)
	case target != "":
		unknownOperation(w, target)
	case restAPIPath.MatchString(r.URL.Path):
		rt.lambda.ServeHTTP(w, r)
	default:
		rt.console.ServeHTTP(w, r)
	}
}

// unknownOperation answers a JSON-protocol request for a service or
// operation that is not emulated, as AWS answers an unknown operation.
func unknownOperation(w http.ResponseWriter, target string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]string{
		"__type":  "UnknownOperationException",
		"message": "the local stack serves Step Functions, DynamoDB and Lambda only, not " + target,
	})
}
