package lambda

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// invocation is one request for a function, handed to instances until one
// produces its outcome.
type invocation struct {
	id            string
	payload       []byte
	invokedARN    string // as the caller named it, qualified if they qualified it
	traceID       string
	clientContext string // decoded JSON, passed on as Lambda-Runtime-Client-Context
	tail          *logTail
	start         time.Time // delivery to the runtime, for the REPORT line
	outcome       chan outcome
}

// outcome is how one attempt at an invocation ended.
type outcome struct {
	payload []byte
	failed  bool // a function error: Invoke answers X-Amz-Function-Error: Unhandled
	requeue bool // the instance died before taking it: try another instance
}

func newInvocation(payload []byte, invokedARN string) *invocation {
	return &invocation{
		id:         newRequestID(),
		payload:    payload,
		invokedARN: invokedARN,
		traceID:    newTraceID(),
		outcome:    make(chan outcome, 1),
	}
}

// newRequestID returns a random UUID (version 4), Lambda's request id form.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// newTraceID returns an X-Ray trace header value, not sampled.
func newTraceID() string {
	var b [20]byte
	rand.Read(b[:])
	return fmt.Sprintf("Root=1-%08x-%s;Parent=%s;Sampled=0",
		time.Now().Unix(), hex.EncodeToString(b[:12]), hex.EncodeToString(b[12:]))
}

// functionError is the JSON body Lambda returns for an error it reports
// itself (errors the runtime reports are passed through as they are).
func functionError(errorType, message string) []byte {
	b, _ := json.Marshal(struct {
		ErrorType    string `json:"errorType"`
		ErrorMessage string `json:"errorMessage"`
	}{errorType, message})
	return b
}

func timedOut(id string, timeout time.Duration) outcome {
	return outcome{failed: true, payload: functionError("Sandbox.Timedout",
		fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", id, timeout.Seconds()))}
}

// exitMessage is Lambda's wording for a runtime process that ended.
func exitMessage(id string, waitErr error) string {
	if waitErr == nil {
		return "RequestId: " + id + " Error: Runtime exited without providing a reason"
	}
	return "RequestId: " + id + " Error: Runtime exited with error: " + waitErr.Error()
}

func exited(id string, waitErr error) outcome {
	return outcome{failed: true, payload: functionError("Runtime.ExitError", exitMessage(id, waitErr))}
}
