// Command fn is the test function for package lambda: a real aws-lambda-go
// binary whose behaviour is chosen by the payload's "action".
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// request selects a behaviour; unused fields stay empty.
type request struct {
	Action  string `json:"action"`
	Sleep   string `json:"sleep,omitempty"`   // Go duration for "sleep"
	Message string `json:"message,omitempty"` // error message or log text
	Name    string `json:"name,omitempty"`    // env var for "env"
	Lines   int    `json:"lines,omitempty"`   // lines per writer for "log"
	Long    int    `json:"long,omitempty"`    // length of a last, long line for "log"
	Size    int    `json:"size,omitempty"`    // response bytes for "big"
}

// response reports what the function saw, so tests can check the host.
type response struct {
	PID          int             `json:"pid"`
	RequestID    string          `json:"requestId"`
	FunctionARN  string          `json:"functionArn"`
	FunctionName string          `json:"functionName"`
	DeadlineMs   int64           `json:"deadlineMs"`
	Payload      json.RawMessage `json:"payload,omitempty"`
	Value        string          `json:"value,omitempty"`
	Found        bool            `json:"found,omitempty"`
}

// CustomError is returned by the "error" action; aws-lambda-go reports its
// type name as the errorType.
type CustomError struct{ Message string }

func (e *CustomError) Error() string { return e.Message }

func handle(ctx context.Context, raw json.RawMessage) (any, error) {
	var req request
	if err := json.Unmarshal(raw, &req); err != nil {
		return nil, err
	}
	lc, _ := lambdacontext.FromContext(ctx)
	deadline, _ := ctx.Deadline()
	out := response{PID: os.Getpid(), RequestID: lc.AwsRequestID, FunctionARN: lc.InvokedFunctionArn,
		FunctionName: lambdacontext.FunctionName, DeadlineMs: deadline.UnixMilli()}
	switch req.Action {
	case "echo":
		out.Payload = raw
	case "error":
		return nil, &CustomError{Message: req.Message}
	case "sleep":
		d, err := time.ParseDuration(req.Sleep)
		if err != nil {
			return nil, err
		}
		time.Sleep(d)
	case "panic":
		panic(req.Message)
	case "exit":
		os.Exit(3)
	case "log":
		logLines(req.Message, req.Lines, req.Long)
	case "env":
		out.Value, out.Found = os.LookupEnv(req.Name)
	case "big":
		return strings.Repeat("x", req.Size), nil
	default:
		return nil, fmt.Errorf("unknown action %q", req.Action)
	}
	return out, nil
}

// logLines writes whole lines from several goroutines to stdout and stderr
// at once, then lines split over two writes with a pause between them (from
// one goroutine: concurrent partial writes would interleave at the source),
// then, if long > 0, one line that long (a pipe buffer is 64 KB).
func logLines(msg string, lines, long int) {
	var wg sync.WaitGroup
	for w, f := range []*os.File{os.Stdout, os.Stderr, os.Stdout, os.Stderr} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range lines {
				fmt.Fprintf(f, "%s w%d line %d %s\n", msg, w, i, strings.Repeat("=", i%50))
			}
		}()
	}
	wg.Wait()
	for i := range 3 {
		fmt.Printf("%s split %d ", msg, i)
		time.Sleep(5 * time.Millisecond)
		fmt.Printf("done\n")
	}
	if long > 0 {
		fmt.Printf("%s long %s\n", msg, strings.Repeat("L", long))
	}
}

// initBehaviour lets tests break the function before its first invocation.
func initBehaviour() {
	switch os.Getenv("FN_INIT") {
	case "exit":
		fmt.Println("init failing on purpose")
		os.Exit(2)
	case "hang":
		select {} // never asks for an invocation
	case "error":
		body := `{"errorType":"Runtime.InitError","errorMessage":"init failed on purpose"}`
		url := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/init/error"
		resp, err := http.Post(url, "application/json", bytes.NewBufferString(body))
		if err == nil {
			resp.Body.Close()
		}
		os.Exit(1)
	}
}

func main() {
	initBehaviour()
	lambda.Start(handle)
}
