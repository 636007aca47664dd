package stepfunctions

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hitl-go/docsign/local/stepfunctions/asl"
)

// taskKind is how a Task state calls Lambda.
type taskKind int

const (
	taskLambdaInvoke   taskKind = iota // arn:aws:states:::lambda:invoke
	taskLambdaCallback                 // arn:aws:states:::lambda:invoke.waitForTaskToken
	taskLambdaARN                      // a bare Lambda function ARN
)

const (
	resourceLambdaInvoke   = "arn:aws:states:::lambda:invoke"
	resourceLambdaCallback = "arn:aws:states:::lambda:invoke.waitForTaskToken"
)

var lambdaARNPattern = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]+))?$`)

type taskDef struct {
	kind             taskKind
	resource         string
	timeoutSeconds   int64 // 0: none
	timeoutPath      *asl.Path
	heartbeatSeconds int64 // 0: none
	heartbeatPath    *asl.Path
}

// lambdaInvokeParameters are the Parameters the lambda:invoke integration
// accepts (the Lambda Invoke API's request members).
var lambdaInvokeParameters = []string{"FunctionName", "Payload", "Qualifier", "InvocationType", "ClientContext", "LogType"}

func (l *loader) task(o object) *taskDef {
	t := &taskDef{}
	if !o.require("Resource") {
		return t
	}
	t.resource, _ = o.str("Resource")
	switch {
	case t.resource == resourceLambdaInvoke:
		t.kind = taskLambdaInvoke
	case t.resource == resourceLambdaCallback:
		t.kind = taskLambdaCallback
	case lambdaARNPattern.MatchString(t.resource):
		t.kind = taskLambdaARN
	default:
		l.fail(diagSchema, o.at("Resource"), "Resource '%s' is not supported by this local Step Functions engine "+
			"(supported: %s, %s and Lambda function ARNs)", t.resource, resourceLambdaInvoke, resourceLambdaCallback)
	}
	// Only the lambda:invoke integrations take Invoke's Parameters; an
	// unsupported resource has been reported already.
	if t.resource == resourceLambdaInvoke || t.resource == resourceLambdaCallback {
		l.lambdaParameters(o)
	}
	if o.exclusive("TimeoutSeconds", "TimeoutSecondsPath") {
		t.timeoutSeconds, _ = o.integer("TimeoutSeconds", 1, 99999999)
		t.timeoutPath = o.referencePath("TimeoutSecondsPath")
	}
	if o.exclusive("HeartbeatSeconds", "HeartbeatSecondsPath") {
		t.heartbeatSeconds, _ = o.integer("HeartbeatSeconds", 1, 99999999)
		t.heartbeatPath = o.referencePath("HeartbeatSecondsPath")
	}
	if t.heartbeatSeconds > 0 && t.timeoutSeconds > 0 && t.heartbeatSeconds >= t.timeoutSeconds {
		l.fail(diagSchema, o.at("HeartbeatSeconds"), "HeartbeatSeconds must be smaller than TimeoutSeconds")
	}
	return t
}

// lambdaParameters checks the Parameters of a lambda:invoke task: they
// must name the function, and only Invoke's members are accepted.
func (l *loader) lambdaParameters(o object) {
	params, ok := o.m["Parameters"].(map[string]any)
	if !ok {
		l.fail(diagSchema, o.loc, "The field 'FunctionName' is required but was missing")
		return
	}
	if _, ok := params["FunctionName"]; !ok {
		if _, ok := params["FunctionName.$"]; !ok {
			l.fail(diagSchema, o.at("Parameters"), "The field 'FunctionName' is required but was missing")
		}
	}
	for _, k := range sortedKeys(params) {
		if !contains(lambdaInvokeParameters, strings.TrimSuffix(k, ".$")) {
			l.fail(diagSchema, o.at("Parameters"), "The field '%s' is not supported by Step Functions", k)
		}
	}
	if it, ok := params["InvocationType"].(string); ok && it != "RequestResponse" {
		l.fail(diagSchema, o.at("Parameters")+"/InvocationType",
			"InvocationType '%s' is not supported by this local Step Functions engine; use RequestResponse", it)
	}
}

// retrier is one element of a Retry field.
type retrier struct {
	errorEquals     []string
	intervalSeconds int64
	maxAttempts     int64
	backoffRate     float64
	maxDelaySeconds int64 // 0: no cap
	fullJitter      bool
}

// catcher is one element of a Catch field.
type catcher struct {
	errorEquals []string
	next        string
	resultPath  ioPath
}

func (l *loader) retriers(o object) []retrier {
	var out []retrier
	l.errorHandlers(o, "Retry", func(r object) []string {
		r.allow([]string{"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"}, nil)
		rt := retrier{intervalSeconds: 1, maxAttempts: 3, backoffRate: 2}
		r.require("ErrorEquals")
		rt.errorEquals, _ = r.stringList("ErrorEquals")
		if v, ok := r.integer("IntervalSeconds", 1, 99999999); ok {
			rt.intervalSeconds = v
		}
		if v, ok := r.integer("MaxAttempts", 0, 99999999); ok {
			rt.maxAttempts = v
		}
		if v, ok := r.float("BackoffRate", 1); ok {
			rt.backoffRate = v
		}
		// "greater than 0 and less than 31622401" (developer guide,
		// "Handling errors in Step Functions workflows").
		rt.maxDelaySeconds, _ = r.integer("MaxDelaySeconds", 1, 31622400)
		if js, ok := r.str("JitterStrategy"); ok {
			if js != "FULL" && js != "NONE" {
				l.fail(diagSchema, r.at("JitterStrategy"), "Value is not a valid JitterStrategy: '%s'", js)
			}
			rt.fullJitter = js == "FULL"
		}
		out = append(out, rt)
		return rt.errorEquals
	})
	return out
}

func (l *loader) catchers(o object) []catcher {
	var out []catcher
	l.errorHandlers(o, "Catch", func(c object) []string {
		c.allow([]string{"ErrorEquals", "Next", "ResultPath", "Comment"}, []string{"Assign", "Output"})
		c.require("ErrorEquals", "Next")
		ct := catcher{}
		ct.errorEquals, _ = c.stringList("ErrorEquals")
		ct.next, _ = c.str("Next")
		ct.resultPath = c.resultPath("ResultPath")
		out = append(out, ct)
		return ct.errorEquals
	})
	return out
}

// errorHandlers reads the elements of a Retry or Catch field with read,
// which returns each element's ErrorEquals, then checks those lists.
func (l *loader) errorHandlers(o object, field string, read func(object) []string) {
	list, ok := l.array(o, field)
	if !ok {
		return
	}
	var names [][]string
	for i, raw := range list {
		if e, ok := l.object(raw, fmt.Sprintf("%s[%d]", o.at(field), i)); ok {
			names = append(names, read(e))
		}
	}
	if err := asl.ValidateErrorEquals(field, names); err != nil {
		l.fail(diagSchema, o.at(field), "%s", err.Error())
	}
}

func (l *loader) array(o object, field string) ([]any, bool) {
	v, ok := o.m[field]
	if !ok {
		return nil, false
	}
	list, ok := v.([]any)
	if !ok {
		l.fail(diagSchema, o.at(field), "Expected value of type Array")
	}
	return list, ok
}
