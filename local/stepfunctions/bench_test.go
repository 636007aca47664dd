package stepfunctions

import (
	"context"
	"encoding/json"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// signingDef is the project's workflow shape: a Parallel state with an
// automatic signer (lambda:invoke) and a callback signer
// (lambda:invoke.waitForTaskToken).
const signingDef = `{"TimeoutSeconds":3600,"StartAt":"Sign","States":{"Sign":{"Type":"Parallel","End":true,
	"ResultSelector":{"documentId.$":"$[0].documentId","signatures.$":"$"},
	"Branches":[
	{"StartAt":"Alice","States":{"Alice":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		"Parameters":{"FunctionName":"sign-document","Payload":{"documentId.$":"$.documentId","signer":"Alice"}},
		"ResultSelector":{"documentId.$":"$.Payload.documentId","signer.$":"$.Payload.signer"},"End":true}}},
	{"StartAt":"Bob","States":{"Bob":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
		"Parameters":{"FunctionName":"request-signature","Payload":{"taskToken.$":"$$.Task.Token","documentId.$":"$.documentId","signer":"Bob"}},
		"TimeoutSeconds":600,"End":true}}}]}}}`

// instantSigners answers sign-document at once and completes every
// request-signature callback right after the call returns.
func instantSigners(svc **Service) Invoker {
	return lambdaFunc(func(_ context.Context, fn string, payload []byte) ([]byte, string, error) {
		var in struct {
			TaskToken  string `json:"taskToken"`
			DocumentID string `json:"documentId"`
		}
		_ = json.Unmarshal(payload, &in)
		if in.TaskToken == "" {
			return payload, "", nil
		}
		go func() {
			out := `{"documentId":"` + in.DocumentID + `","signer":"Bob"}`
			if _, err := (*svc).apiSendTaskSuccess(&sendTaskSuccessInput{TaskToken: in.TaskToken, Output: &out}); err != nil {
				panic(err)
			}
		}()
		return []byte(`{"status":"PENDING"}`), "", nil
	})
}

// BenchmarkParallelCallback measures completed executions per second of
// the signing workflow with instant fake Lambdas.
func BenchmarkParallelCallback(b *testing.B) {
	var svc *Service
	svc = New(Options{Invoker: instantSigners(&svc)})
	arn, err := svc.CreateStateMachine("Signing", signingDef, "arn:aws:iam::000000000000:role/r")
	if err != nil {
		b.Fatal(err)
	}
	workers := 4 * runtime.GOMAXPROCS(0)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	var next sync.Mutex
	i := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				next.Lock()
				n := i
				i++
				next.Unlock()
				if n >= b.N {
					return
				}
				input := `{"documentId":"` + strconv.Itoa(n) + `"}`
				x, aerr := svc.startExecution(&startExecutionInput{StateMachineARN: arn, Input: &input})
				if aerr != nil {
					b.Error(aerr)
					return
				}
				<-x.done
				if x.status != statusSucceeded {
					b.Errorf("execution %s: %s %s %s", x.arn, x.status, x.errName, x.cause)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "executions/s")
}

// BenchmarkOpenExecution measures the heap an execution holds while its
// callback task waits for a token (Parallel with one branch done, one
// waiting).
func BenchmarkOpenExecution(b *testing.B) {
	waiting := lambdaFunc(func(_ context.Context, _ string, payload []byte) ([]byte, string, error) {
		return payload, "", nil
	})
	svc := New(Options{Invoker: waiting})
	arn, err := svc.CreateStateMachine("Signing", signingDef, "arn:aws:iam::000000000000:role/r")
	if err != nil {
		b.Fatal(err)
	}
	execs := make([]*execution, 0, b.N)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		input := `{"documentId":"` + strconv.Itoa(n) + `"}`
		x, aerr := svc.startExecution(&startExecutionInput{StateMachineARN: arn, Input: &input})
		if aerr != nil {
			b.Fatal(aerr)
		}
		execs = append(execs, x)
	}
	b.StopTimer()
	for svc.tokens.openCount() < b.N || runtime.NumGoroutine() > 10 {
		time.Sleep(time.Millisecond) // let the Lambda calls return
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(b.N), "bytes/open-execution")
	b.ReportMetric(float64(runtime.NumGoroutine()), "goroutines")
	for _, x := range execs {
		x.abort("", "")
	}
}
