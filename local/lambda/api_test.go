package lambda

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// newTestAPI serves h's REST API and returns an SDK client for it.
func newTestAPI(t *testing.T, h *Host) (*awslambda.Client, string) {
	t.Helper()
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(srv.Close)
	client := awslambda.New(awslambda.Options{
		BaseEndpoint:     aws.String(srv.URL),
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 1,
	})
	return client, srv.URL
}

func TestAPIInvoke(t *testing.T) {
	h, _ := newTestHost(t, Options{}, FunctionConfig{Name: "fn"})
	client, _ := newTestAPI(t, h)
	tests := []struct {
		name       string
		in         awslambda.InvokeInput
		wantStatus int32
		wantError  string // FunctionError
		wantInBody string
		wantLog    string // in the decoded LogResult
	}{
		{"echo", awslambda.InvokeInput{FunctionName: aws.String("fn"), Payload: []byte(`{"action":"echo"}`)},
			200, "", `"payload":{"action":"echo"}`, ""},
		{"by ARN", awslambda.InvokeInput{FunctionName: aws.String(arnPrefix + "fn"), Payload: []byte(`{"action":"echo"}`)},
			200, "", `"functionArn":"` + arnPrefix + `fn"`, ""},
		{"qualifier", awslambda.InvokeInput{FunctionName: aws.String("fn"), Qualifier: aws.String("$LATEST"),
			Payload: []byte(`{"action":"echo"}`)}, 200, "", `"functionArn":"` + arnPrefix + `fn:$LATEST"`, ""},
		{"no payload", awslambda.InvokeInput{FunctionName: aws.String("fn")},
			200, "Unhandled", `"errorMessage":"unknown action \"\""`, ""},
		{"function error", awslambda.InvokeInput{FunctionName: aws.String("fn"),
			Payload: []byte(`{"action":"error","message":"no"}`)}, 200, "Unhandled", `"errorType":"CustomError"`, ""},
		{"log tail", awslambda.InvokeInput{FunctionName: aws.String("fn"), LogType: types.LogTypeTail,
			Payload: []byte(`{"action":"log","message":"tail-marker","lines":2}`)}, 200, "", `"pid"`, "tail-marker split 2 done"},
		{"dry run", awslambda.InvokeInput{FunctionName: aws.String("fn"), InvocationType: types.InvocationTypeDryRun},
			204, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := client.Invoke(context.Background(), &tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if out.StatusCode != tt.wantStatus || aws.ToString(out.FunctionError) != tt.wantError {
				t.Errorf("status %d error %q, want %d %q; payload %s", out.StatusCode,
					aws.ToString(out.FunctionError), tt.wantStatus, tt.wantError, out.Payload)
			}
			if !strings.Contains(string(out.Payload), tt.wantInBody) {
				t.Errorf("payload %s does not contain %s", out.Payload, tt.wantInBody)
			}
			if tt.wantStatus == 200 && aws.ToString(out.ExecutedVersion) != "$LATEST" {
				t.Errorf("ExecutedVersion = %q", aws.ToString(out.ExecutedVersion))
			}
			if tt.wantLog != "" {
				checkTail(t, aws.ToString(out.LogResult), tt.wantLog)
			}
		})
	}
}

// checkTail checks a LogResult: base64, at most 4 KB, Lambda's START, END
// and REPORT lines around the function's own.
func checkTail(t *testing.T, logResult, want string) {
	t.Helper()
	tail, err := base64.StdEncoding.DecodeString(logResult)
	if err != nil {
		t.Fatalf("LogResult %q: %v", logResult, err)
	}
	if len(tail) > maxTail {
		t.Errorf("tail is %d bytes, want at most %d", len(tail), maxTail)
	}
	for _, w := range []string{"START RequestId: ", want, "END RequestId: ", "REPORT RequestId: ", "Memory Size: 128 MB"} {
		if !strings.Contains(string(tail), w) {
			t.Errorf("tail does not contain %q:\n%s", w, tail)
		}
	}
}

func TestAPIInvokeErrors(t *testing.T) {
	h, _ := newTestHost(t, Options{}, FunctionConfig{Name: "fn"})
	client, _ := newTestAPI(t, h)
	var (
		notFound *types.ResourceNotFoundException
		content  *types.InvalidRequestContentException
		tooLarge *types.RequestTooLargeException
		param    *types.InvalidParameterValueException
	)
	tests := []struct {
		name    string
		in      awslambda.InvokeInput
		target  any
		wantMsg string
	}{
		{"unknown function", awslambda.InvokeInput{FunctionName: aws.String("nope")}, &notFound,
			"Function not found: " + arnPrefix + "nope"},
		{"unknown ARN", awslambda.InvokeInput{FunctionName: aws.String(arnPrefix + "nope")}, &notFound,
			"Function not found: " + arnPrefix + "nope"},
		{"unknown version", awslambda.InvokeInput{FunctionName: aws.String("fn"), Qualifier: aws.String("3")}, &notFound,
			"Function not found: " + arnPrefix + "fn:3"},
		{"invalid JSON", awslambda.InvokeInput{FunctionName: aws.String("fn"), Payload: []byte("{nope")}, &content, ""},
		{"too large", awslambda.InvokeInput{FunctionName: aws.String("fn"),
			Payload: []byte(`"` + strings.Repeat("x", MaxSyncPayload) + `"`)}, &tooLarge, ""},
		{"event too large", awslambda.InvokeInput{FunctionName: aws.String("fn"), InvocationType: types.InvocationTypeEvent,
			Payload: []byte(`"` + strings.Repeat("x", MaxAsyncPayload) + `"`)}, &tooLarge,
			"1048578 byte payload is too large for the Event invocation type (limit 1048576 bytes)"},
		{"qualifier mismatch", awslambda.InvokeInput{FunctionName: aws.String("fn:$LATEST"), Qualifier: aws.String("2")},
			&param, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := client.Invoke(context.Background(), &tt.in)
			if !errors.As(err, tt.target) {
				t.Fatalf("Invoke: %v, want %T", err, tt.target)
			}
			var api interface{ ErrorMessage() string }
			if errors.As(err, &api); tt.wantMsg != "" && api.ErrorMessage() != tt.wantMsg {
				t.Errorf("message = %q, want %q", api.ErrorMessage(), tt.wantMsg)
			}
		})
	}
}

func TestAPIErrorShape(t *testing.T) {
	h, _ := newTestHost(t, Options{}, FunctionConfig{Name: "fn"})
	_, url := newTestAPI(t, h)
	resp, err := http.Post(url+apiPrefix+"/nope/invocations", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	want := `{"Message":"Function not found: ` + arnPrefix + `nope","Type":"User"}` + "\n"
	if resp.StatusCode != 404 || resp.Header.Get("X-Amzn-ErrorType") != "ResourceNotFoundException" || string(body) != want {
		t.Errorf("got %d %q %s, want 404 ResourceNotFoundException %s", resp.StatusCode,
			resp.Header.Get("X-Amzn-ErrorType"), body, want)
	}
}

func TestAPIThrottle(t *testing.T) {
	h, _ := newTestHost(t, Options{}, FunctionConfig{Name: "fn", ReservedConcurrency: 1})
	client, _ := newTestAPI(t, h)
	done := runBusy(t, h, "fn", "1s")
	_, err := client.Invoke(context.Background(), &awslambda.InvokeInput{FunctionName: aws.String("fn")})
	var throttled *types.TooManyRequestsException
	if !errors.As(err, &throttled) || throttled.Reason != types.ThrottleReasonReservedFunctionConcurrentInvocationLimitExceeded {
		t.Errorf("Invoke: %v, want TooManyRequestsException", err)
	}
	if out := <-done; out == nil || out.FunctionError != "" {
		t.Errorf("the first invoke: %+v", out)
	}
}

func TestAPIEventRetries(t *testing.T) {
	h, logs := newTestHost(t, Options{AsyncRetryDelays: []time.Duration{10 * time.Millisecond, 10 * time.Millisecond}},
		FunctionConfig{Name: "fn"})
	client, _ := newTestAPI(t, h)
	out, err := client.Invoke(context.Background(), &awslambda.InvokeInput{FunctionName: aws.String("fn"),
		InvocationType: types.InvocationTypeEvent, Payload: []byte(`{"action":"error","message":"async-marker"}`)})
	if err != nil || out.StatusCode != 202 {
		t.Fatalf("Invoke Event: %v, %+v; want 202", err, out)
	}
	// aws-lambda-go logs each failure; Lambda tries an event three times.
	logs.WaitFor(t, "async-marker")
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(logs.String(), "async-marker") < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // and not a fourth time
	if n := strings.Count(logs.String(), "async-marker"); n != 3 {
		t.Errorf("event ran %d times, want 3; log:\n%s", n, logs.String())
	}
}

func TestAPIGetAndListFunctions(t *testing.T) {
	h, _ := newTestHost(t, Options{}, FunctionConfig{Name: "b-fn", Timeout: 10 * time.Second, MemoryMB: 256,
		Env: map[string]string{"TABLE_NAME": "t"}, LogFormat: "JSON", Description: "Signs for Bob.", TracingMode: "Active"},
		FunctionConfig{Name: "a-fn"})
	client, _ := newTestAPI(t, h)
	ctx := context.Background()
	got, err := client.GetFunction(ctx, &awslambda.GetFunctionInput{FunctionName: aws.String(arnPrefix + "b-fn")})
	if err != nil {
		t.Fatal(err)
	}
	c := got.Configuration
	if aws.ToString(c.FunctionName) != "b-fn" || aws.ToString(c.FunctionArn) != arnPrefix+"b-fn" ||
		aws.ToInt32(c.Timeout) != 10 || aws.ToInt32(c.MemorySize) != 256 || c.Runtime != types.RuntimeProvidedal2023 ||
		aws.ToString(c.Handler) != "bootstrap" || c.Environment.Variables["TABLE_NAME"] != "t" ||
		c.State != types.StateActive || c.LoggingConfig.LogFormat != types.LogFormatJson || c.CodeSize == 0 ||
		len(c.Architectures) != 1 || aws.ToString(c.Description) != "Signs for Bob." || c.TracingConfig.Mode != types.TracingModeActive {
		b, _ := json.Marshal(c)
		t.Errorf("GetFunction configuration = %s", b)
	}
	conf, err := client.GetFunctionConfiguration(ctx, &awslambda.GetFunctionConfigurationInput{FunctionName: aws.String("a-fn")})
	if err != nil || aws.ToString(conf.FunctionName) != "a-fn" || aws.ToInt32(conf.Timeout) != 3 ||
		aws.ToString(conf.Description) != "" || conf.TracingConfig.Mode != types.TracingModePassThrough {
		t.Errorf("GetFunctionConfiguration = %+v, %v", conf, err)
	}
	conf, err = client.GetFunctionConfiguration(ctx, &awslambda.GetFunctionConfigurationInput{FunctionName: aws.String("b-fn")})
	if err != nil || aws.ToString(conf.Description) != "Signs for Bob." || conf.TracingConfig.Mode != types.TracingModeActive {
		t.Errorf("GetFunctionConfiguration(b-fn) = %+v, %v; want its Description and TracingConfig", conf, err)
	}
	var names []string
	pages := awslambda.NewListFunctionsPaginator(client, &awslambda.ListFunctionsInput{MaxItems: aws.Int32(1)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range page.Functions {
			names = append(names, aws.ToString(f.FunctionName))
		}
	}
	if strings.Join(names, ",") != "a-fn,b-fn" {
		t.Errorf("ListFunctions = %v, want [a-fn b-fn]", names)
	}
	_, err = client.GetFunction(ctx, &awslambda.GetFunctionInput{FunctionName: aws.String("nope")})
	var notFound *types.ResourceNotFoundException
	if !errors.As(err, &notFound) {
		t.Errorf("GetFunction(nope): %v, want ResourceNotFoundException", err)
	}
}
