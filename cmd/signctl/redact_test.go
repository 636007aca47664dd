package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

func TestRedactTokens(t *testing.T) {
	tests := []struct{ in, want string }{
		{`no secret here`, `no secret here`},
		{`{"taskToken":"` + testToken + `","documentId":"3"}`, `{"taskToken":"<redacted>","documentId":"3"}`},
		{`bad token: taskToken=` + testToken + `, retry`, `bad token: taskToken=<redacted>, retry`},
		{`"TaskToken": "a\"b"`, `"TaskToken": "<redacted>"`},
		{`task_token: abc`, `task_token: <redacted>`},
		{`cause {"callbackToken": "` + otherToken + `", "taskToken.$": "$$.Task.Token"}`, `cause {"callbackToken": "<redacted>", "taskToken.$": "$$.Task.Token"}`},
	}
	for _, tt := range tests {
		if got := redactTokens(tt.in); got != tt.want {
			t.Errorf("redactTokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRedactJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"FunctionName":"f","Payload":{"taskToken":"` + testToken + `","taskToken.$":"$$.Task.Token","signer":"Bob"}}`,
			`{"FunctionName":"f","Payload":{"signer":"Bob","taskToken":"<redacted>","taskToken.$":"$$.Task.Token"}}`},
		{`[{"token":"x"},{"note":"taskToken=abc"}]`, `[{"token":"<redacted>"},{"note":"taskToken=<redacted>"}]`},
		{`{"documentId":"3","signatures":[]}`, `{"documentId":"3","signatures":[]}`},
		{`not json, taskToken=abc`, `not json, taskToken=<redacted>`},
	}
	for _, tt := range tests {
		got := redactJSON(tt.in)
		if got != tt.want {
			t.Errorf("redactJSON(%s)\n got %s\nwant %s", tt.in, got, tt.want)
		}
		if strings.Contains(got, testToken) {
			t.Errorf("redactJSON left the token in %s", got)
		}
	}
}

// Tokens shaped like neither AWS's nor the engine's, so only learning them
// from the history can hide them.
const (
	learnedToken = "callback-secret-0001-do-not-print"
	otherToken   = "other-secret-0002-do-not-print"
)

func TestLooksLikeToken(t *testing.T) {
	engine := "Xq3_9fK2-LmN0pQrStUvWxYz1234567890abcdefGHIJKLmnopqrstuvwxyzAB_-" // 64 base64url
	tests := []struct {
		in, want string
	}{
		{"cause: " + engine + ".", "cause: " + redacted + "."},
		{"AWS token " + strings.Repeat("AQB4+/aZ09", 12) + "= expired", "AWS token " + redacted + " expired"},
		{"document " + strings.Repeat("contract-", 7) + "1", "document " + strings.Repeat("contract-", 7) + "1"}, // 64, one case
		{"document " + strings.Repeat("Doc9", 20), "document " + strings.Repeat("Doc9", 20)},                     // 80: a document ID
		{"arn:aws:states:us-east-1:000000000000:execution:Signing:3", "arn:aws:states:us-east-1:000000000000:execution:Signing:3"},
	}
	for _, tt := range tests {
		if got := redactTokens(tt.in); got != tt.want {
			t.Errorf("redactTokens(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// scheduledWith is a TaskScheduled event with the given parameters.
func scheduledWith(params string) sfntypes.HistoryEvent {
	return sfntypes.HistoryEvent{Type: sfntypes.HistoryEventTypeTaskScheduled,
		TaskScheduledEventDetails: &sfntypes.TaskScheduledEventDetails{Parameters: aws.String(params)}}
}

func TestTokenSetLearn(t *testing.T) {
	tests := []struct {
		name   string
		params string
		want   string // scrub of "a <learnedToken> b"
	}{
		{"under callbackToken in the Payload", `{"Payload":{"callbackToken":"` + learnedToken + `","signer":"Bob"}}`, "a " + redacted + " b"},
		{"under TaskToken at the top", `{"TaskToken":"` + learnedToken + `"}`, "a " + redacted + " b"},
		{"in a JSON string", `{"MessageBody":"{\"token\":\"` + learnedToken + `\"}"}`, "a " + redacted + " b"},
		{"in a list under a token key", `{"tokens":["` + learnedToken + `"]}`, "a " + redacted + " b"},
		{"under an ordinary key", `{"Payload":{"note":"` + learnedToken + `"}}`, "a " + learnedToken + " b"},
		{"too short to be a token", `{"token":"b"}`, "a " + learnedToken + " b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ts tokenSet
			ts.learn([]sfntypes.HistoryEvent{scheduledWith(tt.params)})
			if got := ts.scrub("a " + learnedToken + " b"); got != tt.want {
				t.Errorf("scrub = %q, want %q", got, tt.want)
			}
		})
	}
}

// queryFailure is a token table whose Query fails with a message quoting a token.
type queryFailure struct{ *fakeDB }

func (queryFailure) Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	return nil, errors.New("query refused for token " + learnedToken)
}

// TestLearnedTokensNeverPrinted: a token the history passed to a callback
// task under its own key is hidden wherever it shows up later — under any
// key of the run's output, in a cause, in an error — in words and in JSON.
func TestLearnedTokensNeverPrinted(t *testing.T) {
	history := func() []sfntypes.HistoryEvent {
		h, s := tasksScheduled()
		h.add(s.bobScheduled, 0.3, sfntypes.HistoryEventTypeTaskScheduled, func(e *sfntypes.HistoryEvent) {
			e.TaskScheduledEventDetails = &sfntypes.TaskScheduledEventDetails{ResourceType: aws.String("lambda"),
				Resource: aws.String("invoke.waitForTaskToken"), Region: aws.String("us-east-1"),
				Parameters: aws.String(`{"FunctionName":"F","Payload":{"callbackToken":"` + learnedToken + `","signer":"Bob"}}`)}
		})
		return h.events
	}
	tests := []struct {
		name   string
		status sfntypes.ExecutionStatus
		output string
		cause  string
		failDB bool
		args   []string
	}{
		{name: "output under myKey, JSON", status: sfntypes.ExecutionStatusSucceeded,
			output: `{"documentId":"3","Payload":{"myKey":"` + learnedToken + `"},"token":"` + otherToken + `"}`, args: []string{"status", "3", "--json"}},
		{name: "cause, words", status: sfntypes.ExecutionStatusFailed, cause: "callback " + learnedToken + " failed", args: []string{"status", "3"}},
		{name: "cause, JSON", status: sfntypes.ExecutionStatusFailed, cause: `{"token":"` + otherToken + `","note":"` + learnedToken + `"}`,
			args: []string{"status", "3", "--json"}},
		{name: "error, words", status: sfntypes.ExecutionStatusRunning, failDB: true, args: []string{"status", "3"}},
		{name: "error, JSON", status: sfntypes.ExecutionStatusRunning, failDB: true, args: []string{"status", "3", "--json"}},
		{name: "watch, JSON", status: sfntypes.ExecutionStatusFailed, cause: "callback " + learnedToken + " failed", args: []string{"watch", "3", "--json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSFN()
			f.definition = signingDefinition
			f.setRun("3", tt.status, 40, history())
			d := f.execs[testARN("3")]
			if tt.output != "" {
				d.Output = aws.String(tt.output)
			}
			if tt.cause != "" {
				d.Error, d.Cause = aws.String("States.TaskFailed"), aws.String(tt.cause)
			}
			db := &fakeDB{items: []map[string]ddbtypes.AttributeValue{item("3", "Bob", itemPending, 2, 0, 600)}}
			a := fakeApp(f, db, nil)
			if tt.failDB {
				connect := a.connect
				a.connect = func(ctx context.Context, o *awsOptions) (*session, error) {
					s, err := connect(ctx, o)
					s.db = queryFailure{db}
					return s, err
				}
			}
			stdout, stderr, _ := run(a, tt.args...)
			for _, secret := range []string{learnedToken, otherToken} {
				if strings.Contains(stdout+stderr, secret) {
					t.Errorf("output shows %s:\nstdout: %s\nstderr: %s", secret, stdout, stderr)
				}
			}
			if !strings.Contains(stdout+stderr, redacted) {
				t.Errorf("nothing was redacted:\nstdout: %s\nstderr: %s", stdout, stderr)
			}
		})
	}
}
