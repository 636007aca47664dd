package main

import (
	"encoding/json"
	"strings"
	"testing"

	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/cmd/signctl/internal/clitest"
	"github.com/hitl-go/docsign/internal/contract"
)

// run runs signctl's command line against the fakes of a.
func run(a *cli.App, args ...string) (stdout, stderr string, code int) {
	return clitest.Run(newRoot(a), args...)
}

func TestCommands(t *testing.T) {
	declined := func(f *clitest.FakeSFN) {
		f.SetRun("3", sfntypes.ExecutionStatusFailed, 40, clitest.DeclinedHistory())
		f.Execs[clitest.ARN("3")].Error, f.Execs[clitest.ARN("3")].Cause = clitest.Ptr(contract.ErrorSignatureDeclined), clitest.Ptr("wrong amount")
	}
	waiting := func(f *clitest.FakeSFN) {
		running, _ := clitest.SigningHistory()
		f.SetRun("3", sfntypes.ExecutionStatusRunning, 0, running.Events)
	}
	tests := []struct {
		name       string
		args       []string
		setup      func(*clitest.FakeSFN)
		lambda     *clitest.FakeLambda
		wantCode   int
		wantStdout string // part of
		wantStderr string // part of
	}{
		{name: "start", args: []string{"start", "3"}, wantStdout: "Started signing document 3.\n  run:       " + clitest.ARN("3") + "\n  follow it: signctl watch 3\n"},
		{name: "start again while open", args: []string{"start", "3"}, setup: waiting,
			wantStdout: "Document 3 is already being signed: its run started at 2026-11-22T10:00:00Z (1m40s ago) and is RUNNING."},
		{name: "start a declined document", args: []string{"start", "3"}, setup: declined, wantCode: cli.ExitCompleted,
			wantStderr: "signctl: document 3 was declined at 2026-11-22T10:00:40Z (reason: wrong amount)"},
		{name: "start --json a declined document", args: []string{"start", "3", "--json"}, setup: declined, wantCode: cli.ExitCompleted,
			wantStdout: `"code": "AlreadyCompleted"`},
		{name: "start an invalid id", args: []string{"start", "a/b"}, wantCode: cli.ExitUsage, wantStderr: `contains '/'`},
		{name: "start without an id", args: []string{"start"}, wantCode: cli.ExitUsage, wantStderr: "signctl start takes one document id, got 0 arguments"},
		{name: "sign", args: []string{"sign", "3"}, lambda: &clitest.FakeLambda{Payload: `{"documentId":"3","signer":"Bob","status":"SIGNED"}`},
			wantStdout: "Bob signed document 3 (status SIGNED).\n  see: signctl status 3\n"},
		{name: "sign --json", args: []string{"sign", "3", "--json"}, lambda: &clitest.FakeLambda{Payload: `{"documentId":"3","signer":"Bob","status":"SIGNED"}`},
			wantStdout: "{\n  \"documentId\": \"3\",\n  \"signer\": \"Bob\",\n  \"status\": \"SIGNED\"\n}\n"},
		{name: "sign an expired request", args: []string{"sign", "3"}, lambda: clitest.FnError("SignatureRequestExpired", "expired"),
			wantCode: cli.ExitExpired, wantStderr: "sign 3: the signature request expired"},
		{name: "decline", args: []string{"decline", "3", "--reason", "typo"}, lambda: &clitest.FakeLambda{Payload: `{"documentId":"3","signer":"Bob","status":"DECLINED"}`},
			wantStdout: "Bob declined document 3 (status DECLINED); its run fails with SignatureDeclined."},
		{name: "decline without a reason", args: []string{"decline", "3"}, wantCode: cli.ExitUsage, wantStderr: "decline needs a reason: --reason TEXT"},
		{name: "status", args: []string{"status", "3"}, setup: waiting, wantStdout: "Still to sign: Bob.\nBob completes with `signctl sign 3 --signer Bob`"},
		{name: "status --json", args: []string{"status", "3", "--json"}, setup: waiting, wantStdout: "\"pending\": [\n    \"Bob\"\n  ]"},
		{name: "status of an unknown document", args: []string{"status", "9"}, wantCode: cli.ExitNotFound,
			wantStderr: "signctl: document 9 has no run: start it with `signctl start 9`\n"},
		{name: "status --json of an unknown document", args: []string{"status", "9", "--json"}, wantCode: cli.ExitNotFound,
			wantStdout: "{\n  \"error\": {\n    \"code\": \"NotFound\",\n    \"exitCode\": 3,\n    \"message\": \"document 9 has no run: start it with `signctl start 9`\"\n  }\n}\n"},
		{name: "watch a declined run", args: []string{"watch", "3"}, setup: declined, wantCode: cli.ExitRunFailed,
			wantStdout: "[+40.0s] Collect signatures / Wait for Bob to sign: FAILED after 39.9s (SignatureDeclined: wrong amount)\nDocument 3: FAILED after 40.0s\n",
			wantStderr: "its run ended FAILED (declined, reason: wrong amount)"},
		{name: "watch --json", args: []string{"watch", "3", "--json"}, setup: declined, wantCode: cli.ExitRunFailed,
			wantStdout: `"status": "FAILED",`},
		{name: "pending", args: []string{"pending"}, wantStdout: "1 signature request waiting."},
		{name: "pending --json", args: []string{"pending", "--json"}, wantStdout: `"documentId": "3",`},
		{name: "graph", args: []string{"graph", "--cdk-out", "internal/graph/testdata/assembly"}, wantStdout: "flowchart TD\n"},
		{name: "unknown command", args: []string{"stat"}, wantCode: cli.ExitUsage, wantStderr: `unknown command "stat" (did you mean "status"?)`},
		{name: "unknown flag", args: []string{"status", "3", "--bogus"}, wantCode: cli.ExitUsage, wantStderr: "unknown flag: --bogus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := clitest.NewFakeSFN()
			f.Definition = clitest.SigningDefinition
			if tt.setup != nil {
				tt.setup(f)
			}
			db := &clitest.FakeDB{Items: []map[string]ddbtypes.AttributeValue{clitest.Item("3", "Bob", contract.StatusPending, 2, 0, 600)}}
			stdout, stderr, code := run(clitest.App(f, db, tt.lambda), tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.wantStdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.wantStdout, stdout)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantStderr, stderr)
			}
			if (code == 0) != (stderr == "") {
				t.Errorf("exit %d with stderr %q: errors and only errors go to stderr", code, stderr)
			}
			if strings.Contains(stdout+stderr, clitest.Token) {
				t.Error("the output shows a task token")
			}
			if json := strings.Contains(strings.Join(tt.args, " "), "--json"); json && !isOneJSONDocument(stdout) {
				t.Errorf("--json stdout is not one JSON document:\n%s", stdout)
			}
		})
	}
}

func isOneJSONDocument(s string) bool {
	dec := json.NewDecoder(strings.NewReader(s))
	var v any
	if dec.Decode(&v) != nil {
		return false
	}
	return !dec.More()
}

func TestHelp(t *testing.T) {
	stdout, _, code := run(clitest.App(clitest.NewFakeSFN(), &clitest.FakeDB{}, nil), "--help")
	if code != 0 {
		t.Fatalf("--help exit %d", code)
	}
	for _, want := range []string{"Exit codes:", "  4    already completed", "start", "sign", "decline", "status", "watch", "pending", "graph"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("--help lacks %q", want)
		}
	}
	for _, cmd := range newRoot(clitest.App(nil, nil, nil)).Commands() {
		if cmd.Name() == "help" || cmd.Name() == "completion" {
			continue
		}
		if cmd.Example == "" || cmd.Long == "" {
			t.Errorf("signctl %s has no example or no long help", cmd.Name())
		}
	}
}
