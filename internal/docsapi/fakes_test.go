package docsapi_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/docsapi"
	"github.com/hitl-go/docsign/internal/logtest"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// Names the tests use.
const (
	sm     = "arn:aws:states:us-east-1:000000000000:stateMachine:Signing"
	bucket = "docsign-documents"
	caller = "arn:aws:sts::000000000000:assumed-role/Operator/alice"
)

func runARN(id string) string { return "arn:aws:states:us-east-1:000000000000:execution:Signing:" + id }

// upload is one PutObject as S3 received it.
type upload struct {
	key      string
	body     []byte
	metadata map[string]string
}

// fake is S3, Step Functions and the token table. Each call is recorded in
// calls, then answered by its function field, or by default from runs and
// items: a start adds a RUNNING run, an unknown run does not exist.
type fake struct {
	putObject         func(in *s3.PutObjectInput) (*s3.PutObjectOutput, error)
	startExecution    func(in *sfn.StartExecutionInput) (*sfn.StartExecutionOutput, error)
	describeExecution func(arn string) (*sfn.DescribeExecutionOutput, error)
	list              func(documentID string) ([]tokenstore.Request, error)

	runs  map[string]*sfn.DescribeExecutionOutput // by ARN
	items map[string][]tokenstore.Request         // by document id

	calls  []string          // "PutObject documents/3", "DescribeExecution <arn>", "StartExecution 3", "List 3"
	puts   []upload          // the uploads S3 stored
	stored map[string][]byte // each key's current bytes
	starts []sfn.StartExecutionInput
}

// newFake returns a fake with no runs or items, then applies setup, if any.
func newFake(setup ...func(*fake)) *fake {
	f := &fake{runs: map[string]*sfn.DescribeExecutionOutput{}, items: map[string][]tokenstore.Request{}}
	for _, s := range setup {
		if s != nil {
			s(f)
		}
	}
	return f
}

func (f *fake) PutObject(_ context.Context, in *s3.PutObjectInput, _ ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	body, _ := io.ReadAll(in.Body)
	key := aws.ToString(in.Key)
	f.calls = append(f.calls, "PutObject "+key)
	if f.putObject != nil {
		out, err := f.putObject(in)
		if err == nil {
			f.puts = append(f.puts, upload{key: key, body: body, metadata: in.Metadata})
		}
		return out, err
	}
	if _, exists := f.stored[key]; exists && aws.ToString(in.IfNoneMatch) == "*" {
		return nil, &smithy.GenericAPIError{Code: "PreconditionFailed", Message: "At least one of the pre-conditions you specified did not hold"}
	}
	if f.stored == nil {
		f.stored = map[string][]byte{}
	}
	f.stored[key] = body
	f.puts = append(f.puts, upload{key: key, body: body, metadata: in.Metadata})
	return &s3.PutObjectOutput{VersionId: aws.String(fmt.Sprint("v", len(f.puts)))}, nil
}

func (f *fake) GetObject(_ context.Context, in *s3.GetObjectInput, _ ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	key := aws.ToString(in.Key)
	f.calls = append(f.calls, "GetObject "+key)
	body, ok := f.stored[key]
	if !ok {
		return nil, &s3types.NoSuchKey{Message: aws.String("The specified key does not exist.")}
	}
	return &s3.GetObjectOutput{Body: io.NopCloser(bytes.NewReader(body)), VersionId: aws.String(fmt.Sprint("v", len(f.puts)))}, nil
}

func (f *fake) StartExecution(_ context.Context, in *sfn.StartExecutionInput, _ ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	f.calls = append(f.calls, "StartExecution "+aws.ToString(in.Name))
	f.starts = append(f.starts, *in)
	if f.startExecution != nil {
		return f.startExecution(in)
	}
	arn := runARN(aws.ToString(in.Name))
	f.runs[arn] = &sfn.DescribeExecutionOutput{ExecutionArn: aws.String(arn), Status: sfntypes.ExecutionStatusRunning}
	return &sfn.StartExecutionOutput{ExecutionArn: aws.String(arn)}, nil
}

func (f *fake) DescribeExecution(_ context.Context, in *sfn.DescribeExecutionInput, _ ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error) {
	arn := aws.ToString(in.ExecutionArn)
	f.calls = append(f.calls, "DescribeExecution "+arn)
	if f.describeExecution != nil {
		return f.describeExecution(arn)
	}
	if run, ok := f.runs[arn]; ok {
		return run, nil
	}
	return nil, &sfntypes.ExecutionDoesNotExist{Message: aws.String("Execution Does Not Exist: '" + arn + "'")}
}

func (f *fake) List(_ context.Context, documentID string) ([]tokenstore.Request, error) {
	f.calls = append(f.calls, "List "+documentID)
	if f.list != nil {
		return f.list(documentID)
	}
	return f.items[documentID], nil
}

// setRun makes document id's run exist with status.
func (f *fake) setRun(id string, status sfntypes.ExecutionStatus) {
	f.runs[runARN(id)] = &sfn.DescribeExecutionOutput{ExecutionArn: aws.String(runARN(id)), Status: status}
}

// writes lists the calls that change something.
func (f *fake) writes() []string {
	var w []string
	for _, c := range f.calls {
		if strings.HasPrefix(c, "PutObject") || strings.HasPrefix(c, "StartExecution") {
			w = append(w, c)
		}
	}
	return w
}

// newHandler returns a handler over f, logging JSON lines to the returned buffer.
func newHandler(t *testing.T, f *fake) (*docsapi.Handler, *logtest.Buffer) {
	t.Helper()
	logs := &logtest.Buffer{}
	h, err := docsapi.New(f, f, f, docsapi.Config{Bucket: bucket, StateMachineARN: sm, Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return h, logs
}

// request is an IAM-authorised request of the documents API, as API Gateway
// sends it, changed by mods.
func request(method, id, body string, mods ...func(*events.APIGatewayV2HTTPRequest)) events.APIGatewayV2HTTPRequest {
	route := method + " " + contract.DocumentsRoute
	req := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: route, RawPath: "/documents/" + id, Body: body,
		Headers:        map[string]string{"content-type": "text/plain"},
		PathParameters: map[string]string{contract.DocumentIDPathParameter: id},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey: route, AccountID: "000000000000", Stage: "$default", RequestID: "req-1",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: "/documents/" + id},
			Authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
				IAM: &events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription{
					AccessKey: "ASIAEXAMPLE", AccountID: "000000000000", UserARN: caller, UserID: "AROAEXAMPLE:alice"},
			},
		},
	}
	for _, m := range mods {
		m(&req)
	}
	return req
}

func post(id, body string, mods ...func(*events.APIGatewayV2HTTPRequest)) events.APIGatewayV2HTTPRequest {
	return request("POST", id, body, mods...)
}

func get(id string, mods ...func(*events.APIGatewayV2HTTPRequest)) events.APIGatewayV2HTTPRequest {
	return request("GET", id, "", mods...)
}

// base64Body encodes the body as API Gateway does for a binary one.
func base64Body(req *events.APIGatewayV2HTTPRequest) {
	req.Body, req.IsBase64Encoded = base64.StdEncoding.EncodeToString([]byte(req.Body)), true
}

// rawBody replaces the body with s as it is, marked base64-encoded or not.
func rawBody(s string, encoded bool) func(*events.APIGatewayV2HTTPRequest) {
	return func(req *events.APIGatewayV2HTTPRequest) { req.Body, req.IsBase64Encoded = s, encoded }
}

func userARN(arn string) func(*events.APIGatewayV2HTTPRequest) {
	return func(req *events.APIGatewayV2HTTPRequest) { req.RequestContext.Authorizer.IAM.UserARN = arn }
}

func noPathParameters(req *events.APIGatewayV2HTTPRequest) { req.PathParameters = nil }

// routeKey sets the route key (both copies) and, if method is not "", the
// request's method.
func routeKey(key, method string) func(*events.APIGatewayV2HTTPRequest) {
	return func(req *events.APIGatewayV2HTTPRequest) {
		req.RouteKey, req.RequestContext.RouteKey = key, key
		if method != "" {
			req.RequestContext.HTTP.Method = method
		}
	}
}

// bytesOf is n bytes of a repeating pattern.
func bytesOf(n int) string { return string(bytes.Repeat([]byte("0123456789abcdef"), n/16+1)[:n]) }
