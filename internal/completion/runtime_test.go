package completion

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/dynalite/dynalitetest"
	"github.com/hitl-go/docsign/internal/logtest"
	"github.com/hitl-go/docsign/internal/tokenstore"
	"github.com/hitl-go/docsign/internal/tokenstore/tokenstoretest"
)

// TestBinaryReportsContractErrorTypes builds the complete-signature function, runs it under a
// minimal Lambda Runtime API with dynalite and a Step Functions stand-in, and
// checks the errorType the real aws-lambda-go runtime reports for each failure.
func TestBinaryReportsContractErrorTypes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the function binary")
	}
	ddbServer := dynalitetest.Start(t)
	db := dynalitetest.Client(ddbServer)
	table := tokenstoretest.NewTable(t, db)
	store := tokenstore.New(db, table)
	now := time.Now()
	putPending(t, store, "e2e", now, time.Hour)
	putPending(t, store, "e2e-expired", now.Add(-time.Hour), time.Minute)
	busy := putPending(t, store, "e2e-busy", now, time.Hour)
	if _, err := store.Claim(t.Context(), busy, "another-call", now, time.Hour, ""); err != nil {
		t.Fatal(err)
	}

	api := newRuntimeAPI(t)
	var logs logtest.Buffer
	startFunction(t, api.addr, []string{
		"TABLE_NAME=" + table,
		"CALLBACK_SIGNERS=Bob",
		"CLAIM_LEASE_SECONDS=30",
		"AWS_ENDPOINT_URL_DYNAMODB=" + ddbServer.Endpoint(),
		"AWS_ENDPOINT_URL_SFN=" + stepFunctionsStandIn(t),
		"AWS_ENDPOINT_URL_S3=" + documentStandIn(t),
		"AWS_ENDPOINT_URL_KMS=" + kmsStandIn(t),
		"SIGNING_KEY_ARN=" + testKeyARN,
	}, &logs)

	tests := []struct{ payload, wantType, wantBody string }{
		{`{"documentId":`, "InvalidInput", ""},
		{`{"documentId":"e2e","signer":"Mallory"}`, "InvalidInput", ""},
		{`{"documentId":"nope"}`, "SignatureRequestNotFound", ""},
		{`{"documentId":"e2e"}`, "", `{"documentId":"e2e","signer":"Bob","status":"SIGNED"}`},
		{`{"documentId":"e2e","decision":"decline"}`, "SignatureAlreadyCompleted", ""},
		{`{"documentId":"e2e-expired"}`, "SignatureRequestExpired", ""},
		{`{"documentId":"e2e-busy"}`, "SignatureServiceUnavailable", ""},
	}
	for _, tt := range tests {
		gotType, gotBody := api.invoke(t, tt.payload)
		if gotType != tt.wantType || (tt.wantBody != "" && gotBody != tt.wantBody) {
			t.Errorf("invoke %s: errorType %q, body %s; want errorType %q body %s", tt.payload, gotType, gotBody, tt.wantType, tt.wantBody)
		}
		if strings.Contains(gotBody, token) {
			t.Errorf("invoke %s: answer contains the task token", tt.payload)
		}
	}
	if strings.Contains(logs.String(), token) {
		t.Error("the function logged the task token")
	}
}

// runtimeAPI serves the Lambda Runtime API endpoints a function polls, one
// invocation at a time.
type runtimeAPI struct {
	addr    string
	next    chan string // payloads
	results chan [2]string
}

func newRuntimeAPI(t *testing.T) *runtimeAPI {
	api := &runtimeAPI{next: make(chan string), results: make(chan [2]string)}
	mux := http.NewServeMux()
	var id int
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		select {
		case payload := <-api.next:
			id++
			w.Header().Set("Lambda-Runtime-Aws-Request-Id", strconv.Itoa(id))
			w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(10*time.Second).UnixMilli(), 10))
			w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:complete-signature")
			io.WriteString(w, payload)
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/{kind}", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		kind := r.PathValue("kind")
		w.WriteHeader(http.StatusAccepted)
		api.results <- [2]string{kind, string(body)}
	})
	srv := httptest.NewServer(mux) // on 127.0.0.1
	t.Cleanup(srv.Close)           // after the function is killed (cleanups run last-in first-out)
	api.addr = srv.Listener.Addr().String()
	return api
}

// invoke hands payload to the function and returns the reported errorType
// ("" on success) and the answer's body.
func (api *runtimeAPI) invoke(t *testing.T, payload string) (string, string) {
	t.Helper()
	timeout := time.After(20 * time.Second)
	select {
	case api.next <- payload:
	case <-timeout:
		t.Fatal("the function did not ask for an invocation")
	}
	select {
	case res := <-api.results:
		if res[0] != "error" {
			return "", strings.TrimSpace(res[1])
		}
		var e struct{ ErrorType string }
		if err := json.Unmarshal([]byte(res[1]), &e); err != nil {
			t.Fatalf("error body %s: %v", res[1], err)
		}
		return e.ErrorType, res[1]
	case <-timeout:
		t.Fatal("the function did not answer")
	}
	return "", ""
}

// startFunction builds this package as the Lambda would be and runs it.
func startFunction(t *testing.T, runtimeAddr string, env []string, logs *logtest.Buffer) {
	bin := filepath.Join(t.TempDir(), "bootstrap")
	build := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", bin, "../../lambdas/completesignature")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin)
	cmd.Env = append(env,
		"AWS_LAMBDA_RUNTIME_API="+runtimeAddr,
		"AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true",
	)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
}

// stepFunctionsStandIn answers SendTaskSuccess for the test's token (AWS
// JSON 1.0) and InvalidToken otherwise; past expiresAt, an empty history and
// a timed-out execution.
func stepFunctionsStandIn(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct{ TaskToken string }
		json.NewDecoder(r.Body).Decode(&in)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		switch r.Header.Get("X-Amz-Target") {
		case "AWSStepFunctions.GetExecutionHistory":
			io.WriteString(w, `{"events":[]}`)
			return
		case "AWSStepFunctions.DescribeExecution":
			io.WriteString(w, `{"executionArn":"`+execARN+`","status":"TIMED_OUT"}`)
			return
		}
		if r.Header.Get("X-Amz-Target") != "AWSStepFunctions.SendTaskSuccess" || in.TaskToken != token {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type":"InvalidToken","message":"Invalid Token"}`)
			return
		}
		io.WriteString(w, `{}`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// documentStandIn answers every GetObject with the pinned document's bytes
// (S3 REST; e2e/ runs the real thing).
func documentStandIn(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-amz-version-id", pinned.VersionID)
		io.WriteString(w, "hello")
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

const testKeyARN = "arn:aws:kms:us-east-1:000000000000:key/00000000-0000-4000-8000-000000000000"

// kmsStandIn answers KMS Sign with an ECDSA signature of the digest by a
// key of its own (AWS JSON 1.1).
func kmsStandIn(t *testing.T) string {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Message []byte }
		json.NewDecoder(r.Body).Decode(&in)
		der, err := ecdsa.SignASN1(rand.Reader, key, in.Message)
		if err != nil || r.Header.Get("X-Amz-Target") != "TrentService.Sign" {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type":"ValidationException","message":"unexpected request"}`)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		json.NewEncoder(w).Encode(map[string]any{"KeyId": testKeyARN, "Signature": der, "SigningAlgorithm": "ECDSA_SHA_256"})
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
