package stepfunctions

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// The conformance suite runs every fixture of testdata/conformance (see its
// README.md for the format) through the engine with fake Lambda functions.

type fixture struct {
	Name       string                 `json:"name"`
	Source     string                 `json:"source"`
	Definition json.RawMessage        `json:"definition"`
	Input      json.RawMessage        `json:"input"`
	Lambdas    map[string][]behaviour `json:"lambdas"`
	Expect     *expectation           `json:"expect"`
	LoadError  *string                `json:"loadError"`
}

type behaviour struct {
	Return          json.RawMessage `json:"return"`
	ReturnInput     bool            `json:"returnInput"`
	Error           string          `json:"error"`
	Message         string          `json:"message"`
	ErrorPayload    json.RawMessage `json:"errorPayload"`
	SleepMs         int             `json:"sleepMs"`
	SendTaskSuccess json.RawMessage `json:"sendTaskSuccess"`
	SendTaskFailure *struct {
		Error string `json:"error"`
		Cause string `json:"cause"`
	} `json:"sendTaskFailure"`
	TokenField  string `json:"tokenField"`
	IgnoreToken bool   `json:"ignoreToken"`
}

type expectation struct {
	Status         string                       `json:"status"`
	Output         json.RawMessage              `json:"output"`
	Error          *string                      `json:"error"`
	Cause          *string                      `json:"cause"`
	LambdaCalls    map[string]int               `json:"lambdaCalls"`
	LambdaPayloads map[string][]json.RawMessage `json:"lambdaPayloads"`
}

func TestConformance(t *testing.T) {
	files, err := filepath.Glob("testdata/conformance/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 80 {
		t.Fatalf("found %d conformance fixtures, want at least 80", len(files))
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var fx fixture
			if err := json.Unmarshal(data, &fx); err != nil {
				t.Fatalf("fixture: %v", err)
			}
			runFixture(t, &fx)
		})
	}
}

func runFixture(t *testing.T, fx *fixture) {
	fakes := &fakeLambdas{t: t, behaviours: fx.Lambdas, calls: map[string][][]byte{}}
	svc := New(Options{Invoker: fakes})
	fakes.svc = svc
	arn, err := svc.CreateStateMachine("Conformance", string(fx.Definition), "arn:aws:iam::000000000000:role/conformance")
	if fx.LoadError != nil {
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Code != codeInvalidDefinition || !strings.Contains(apiErr.Message, *fx.LoadError) {
			t.Fatalf("%s\nCreateStateMachine: got error %v, want InvalidDefinition containing %q", fx.Name, err, *fx.LoadError)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s\nCreateStateMachine: %v", fx.Name, err)
	}
	input := "{}"
	if len(fx.Input) > 0 {
		input = string(fx.Input)
	}
	x, apiErr := svc.startExecution(&startExecutionInput{StateMachineARN: arn, Name: "run", Input: &input})
	if apiErr != nil {
		t.Fatalf("%s\nStartExecution: %v", fx.Name, apiErr)
	}
	select {
	case <-x.done:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s\nexecution still %s after 30s", fx.Name, x.status)
	}
	fakes.wait()
	checkExpectation(t, fx, x, fakes)
}

func checkExpectation(t *testing.T, fx *fixture, x *execution, fakes *fakeLambdas) {
	x.mu.Lock()
	status, output, errName, cause := x.status, x.output, x.errName, x.cause
	x.mu.Unlock()
	want := fx.Expect
	if status != want.Status {
		t.Fatalf("%s\nstatus: got %s (error %q, cause %q), want %s", fx.Name, status, errName, cause, want.Status)
	}
	if status == statusSucceeded && !jsonEqual(t, output, string(want.Output)) {
		t.Errorf("%s\noutput:\n got %s\nwant %s", fx.Name, output, want.Output)
	}
	if want.Error != nil && errName != *want.Error {
		t.Errorf("%s\nerror: got %q (cause %q), want %q", fx.Name, errName, cause, *want.Error)
	}
	if want.Cause != nil && cause != *want.Cause {
		t.Errorf("%s\ncause:\n got %q\nwant %q", fx.Name, cause, *want.Cause)
	}
	for fn, n := range want.LambdaCalls {
		if got := len(fakes.received(fn)); got != n {
			t.Errorf("%s\ncalls of %s: got %d, want %d", fx.Name, fn, got, n)
		}
	}
	for fn, payloads := range want.LambdaPayloads {
		got := fakes.received(fn)
		if len(got) != len(payloads) {
			t.Errorf("%s\npayloads of %s: got %d, want %d", fx.Name, fn, len(got), len(payloads))
			continue
		}
		for i := range payloads {
			if !jsonEqual(t, string(got[i]), string(payloads[i])) {
				t.Errorf("%s\npayload %d of %s:\n got %s\nwant %s", fx.Name, i, fn, got[i], payloads[i])
			}
		}
	}
}

// jsonEqual compares two JSON texts as values (numbers by value).
func jsonEqual(t *testing.T, a, b string) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal([]byte(a), &va); err != nil {
		t.Errorf("invalid JSON %q: %v", a, err)
		return false
	}
	if err := json.Unmarshal([]byte(b), &vb); err != nil {
		t.Errorf("invalid JSON %q: %v", b, err)
		return false
	}
	return reflect.DeepEqual(va, vb)
}

// fakeLambdas plays a fixture's Lambda behaviours.
type fakeLambdas struct {
	t          *testing.T
	svc        *Service
	behaviours map[string][]behaviour
	mu         sync.Mutex
	calls      map[string][][]byte
	callbacks  sync.WaitGroup
}

func (f *fakeLambdas) received(fn string) [][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[fn]
}

// wait lets pending callbacks finish before the test ends.
func (f *fakeLambdas) wait() { f.callbacks.Wait() }

func (f *fakeLambdas) Invoke(ctx context.Context, fn string, payload []byte) ([]byte, string, error) {
	f.mu.Lock()
	list, ok := f.behaviours[fn]
	n := len(f.calls[fn])
	f.calls[fn] = append(f.calls[fn], payload)
	f.mu.Unlock()
	if !ok || len(list) == 0 {
		f.t.Errorf("invoked %s, which the fixture does not define", fn)
		return nil, "", &invokeError{code: "ResourceNotFoundException", msg: "Function not found: " + fn}
	}
	b := list[min(n, len(list)-1)]
	if b.SendTaskSuccess != nil || b.SendTaskFailure != nil || b.IgnoreToken {
		return f.callback(b, payload)
	}
	if b.SleepMs > 0 {
		select {
		case <-ctx.Done():
			return nil, "", ctx.Err()
		case <-time.After(time.Duration(b.SleepMs) * time.Millisecond):
		}
	}
	switch {
	case b.Error != "":
		out, _ := json.Marshal(struct {
			ErrorType    string `json:"errorType"`
			ErrorMessage string `json:"errorMessage"`
		}{b.Error, b.Message})
		return out, "Unhandled", nil
	case b.ErrorPayload != nil:
		var v any
		_ = json.Unmarshal(b.ErrorPayload, &v)
		out, _ := json.Marshal(v)
		return out, "Unhandled", nil
	case b.ReturnInput:
		return payload, "", nil
	}
	return b.Return, "", nil
}

// callback answers a .waitForTaskToken call: it returns at once and sends
// the task's outcome later.
func (f *fakeLambdas) callback(b behaviour, payload []byte) ([]byte, string, error) {
	field := b.TokenField
	if field == "" {
		field = "taskToken"
	}
	var in map[string]any
	_ = json.Unmarshal(payload, &in)
	token, _ := in[field].(string)
	if b.IgnoreToken {
		return []byte("{}"), "", nil
	}
	f.callbacks.Add(1)
	go func() {
		defer f.callbacks.Done()
		time.Sleep(time.Duration(b.SleepMs) * time.Millisecond)
		var err *APIError
		if b.SendTaskSuccess != nil {
			out := string(b.SendTaskSuccess)
			_, err = f.svc.apiSendTaskSuccess(&sendTaskSuccessInput{TaskToken: token, Output: &out})
		} else {
			_, err = f.svc.apiSendTaskFailure(&sendTaskFailureInput{TaskToken: token,
				Error: b.SendTaskFailure.Error, Cause: b.SendTaskFailure.Cause})
		}
		if err != nil {
			f.t.Logf("callback: %v", err)
		}
	}()
	return []byte("{}"), "", nil
}
