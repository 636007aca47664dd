package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/hitl-go/docsign/constructs/gofunction"
	"github.com/hitl-go/docsign/constructs/signingworkflow"
)

func TestParseTimeout(t *testing.T) {
	tests := []struct {
		in      any
		want    time.Duration
		wantErr string
	}{
		{in: nil, want: 168 * time.Hour},
		{in: "90s", want: 90 * time.Second},
		{in: "12s", want: 12 * time.Second},
		{in: "1m30s", want: 90 * time.Second},
		{in: "1s", want: time.Second},
		{in: "8760h", want: 8760 * time.Hour},
		{in: "90", wantErr: `context timeout="90": want a Go duration`},
		{in: "1.5s", wantErr: `context timeout="1.5s": 1.5s is not a whole number of seconds`},
		{in: "500ms", wantErr: "500ms is shorter than 1s"},
		{in: "0s", wantErr: "0s is shorter than 1s"},
		{in: "-5s", wantErr: "-5s is shorter than 1s"},
		{in: "abc", wantErr: `context timeout="abc": want a Go duration`},
		{in: "", wantErr: `context timeout="": want a Go duration`},
		{in: "8761h", wantErr: "longer than a Standard workflow may run"},
		{in: 90.0, wantErr: `context timeout="90": want a Go duration string`},
	}
	for _, tt := range tests {
		got, err := parseTimeout(tt.in)
		if msg := errorMismatch(err, tt.wantErr, contextTimeout); msg != "" {
			t.Errorf("parseTimeout(%#v): %s", tt.in, msg)
		}
		if err == nil && got != tt.want {
			t.Errorf("parseTimeout(%#v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseSigners(t *testing.T) {
	alice := signingworkflow.Signer{Name: "Alice", Mode: signingworkflow.Auto}
	tests := []struct {
		name    string
		in      any
		want    []signingworkflow.Signer
		wantErr string
	}{
		{name: "default", in: nil, want: signingworkflow.DefaultSigners()},
		{name: "-c string", in: `[{"name":"Alice","mode":"auto"}]`, want: []signingworkflow.Signer{alice}},
		{name: "cdk.json list", in: []any{map[string]any{"name": "Alice", "mode": "auto"}}, want: []signingworkflow.Signer{alice}},
		{name: "names", in: `[{"name":"a_B-9","mode":"callback"}]`, want: []signingworkflow.Signer{{Name: "a_B-9", Mode: signingworkflow.Callback}}},
		{name: "empty list", in: `[]`, wantErr: "at least one signer is required"},
		{name: "null", in: `null`, wantErr: "at least one signer is required"},
		{name: "empty name", in: `[{"name":"","mode":"auto"}]`, wantErr: "signers[0].name: is empty"},
		{name: "space in name", in: `[{"name":"Bo b","mode":"auto"}]`, wantErr: `signers[0].name: "Bo b" must be 1-50 characters`},
		{name: "long name", in: `[{"name":"` + strings.Repeat("x", 51) + `","mode":"auto"}]`, wantErr: "must be 1-50 characters"},
		{name: "duplicate", in: `[{"name":"Bob","mode":"auto"},{"name":"Bob","mode":"callback"}]`, wantErr: `signers[1].name: "Bob" is not unique`},
		{name: "bad mode", in: `[{"name":"Bob","mode":"manual"}]`, wantErr: `signers[0].mode: "manual" for signer "Bob" must be "auto" or "callback"`},
		{name: "no mode", in: `[{"name":"Bob"}]`, wantErr: `signers[0].mode: "" for signer "Bob"`},
		{name: "typo", in: `[{"nmae":"Bob","mode":"auto"}]`, wantErr: `unknown field "nmae"`},
		{name: "email", in: `[{"name":"Bob","mode":"callback","email":"bob@example.com"}]`,
			want: []signingworkflow.Signer{{Name: "Bob", Mode: signingworkflow.Callback, Email: "bob@example.com"}}},
		{name: "bad email", in: `[{"name":"Alice","mode":"auto"},{"name":"Bob","mode":"callback","email":"bob at example.com"}]`,
			wantErr: `signers[1].email: for signer "Bob": "bob at example.com" is not an email address`},
		{name: "email not a string", in: `[{"name":"Bob","mode":"callback","email":["bob@example.com"]}]`, wantErr: `email`},
		{name: "object", in: `{"name":"Bob","mode":"auto"}`, wantErr: "want a JSON list"},
		{name: "not JSON", in: `Alice`, wantErr: "want a JSON list"},
		{name: "trailing", in: `[{"name":"A","mode":"auto"}] x`, wantErr: "unexpected data after the list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSigners(tt.in)
			if msg := errorMismatch(err, tt.wantErr, contextSigners); msg != "" {
				t.Fatal(msg)
			}
			if err == nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseRemovalPolicy(t *testing.T) {
	tests := []struct {
		in      any
		want    awscdk.RemovalPolicy
		wantErr string
	}{
		{in: nil, want: awscdk.RemovalPolicy_DESTROY},
		{in: "destroy", want: awscdk.RemovalPolicy_DESTROY},
		{in: "retain", want: awscdk.RemovalPolicy_RETAIN},
		{in: "snapshot", wantErr: `context removalPolicy="snapshot": want "destroy" or "retain"`},
		{in: true, wantErr: `context removalPolicy="true"`},
	}
	for _, tt := range tests {
		got, err := parseRemovalPolicy(tt.in)
		if msg := errorMismatch(err, tt.wantErr, contextRemovalPolicy); msg != "" {
			t.Errorf("parseRemovalPolicy(%#v): %s", tt.in, msg)
		}
		if err == nil && got != tt.want {
			t.Errorf("parseRemovalPolicy(%#v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// errorMismatch describes how err differs from wanting an error containing
// want (none when want is "") raised as a *ContextError for key.
func errorMismatch(err error, want, key string) string {
	var ce *ContextError
	switch {
	case want == "" && err != nil:
		return fmt.Sprintf("unexpected error %v", err)
	case want == "":
		return ""
	case err == nil:
		return fmt.Sprintf("got no error, want one containing %q", want)
	case !strings.Contains(err.Error(), want):
		return fmt.Sprintf("got error %q, want it to contain %q", err, want)
	case !errors.As(err, &ce) || ce.Key != key:
		return fmt.Sprintf("got error %#v, want a *ContextError for %q", err, key)
	}
	return ""
}

func TestCDKJSON(t *testing.T) {
	v := cdkJSON(t)
	if app, _ := v["app"].(string); !strings.Contains(app, "go run cdk.go") {
		t.Errorf(`cdk.json app = %q, want it to run "go run cdk.go"`, app)
	}
	ctx := v["context"].(map[string]any)
	if got, err := parseTimeout(ctx[contextTimeout]); err != nil || got != defaultTimeout {
		t.Errorf("cdk.json timeout = %v (%v), want %v", got, err, defaultTimeout)
	}
	if got, err := parseSigners(ctx[contextSigners]); err != nil || !reflect.DeepEqual(got, signingworkflow.DefaultSigners()) {
		t.Errorf("cdk.json signers = %+v (%v), want %+v", got, err, signingworkflow.DefaultSigners())
	}
	if got, err := parseRemovalPolicy(ctx[contextRemovalPolicy]); err != nil || got != awscdk.RemovalPolicy_DESTROY {
		t.Errorf("cdk.json removalPolicy = %v (%v), want destroy", got, err)
	}
	for _, flag := range []string{"@aws-cdk/aws-iam:minimizePolicies", "@aws-cdk/core:enablePartitionLiterals"} {
		if ctx[flag] != true {
			t.Errorf("cdk.json context %s = %v, want true (current feature flags)", flag, ctx[flag])
		}
	}
}

func TestBadContextFailsSynth(t *testing.T) {
	ctx := map[string]any{contextTimeout: "1.5s"}
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(filepath.Join(outRoot, "bad"))})
	_, err := defineStack(app)
	if msg := errorMismatch(err, `context timeout="1.5s": 1.5s is not a whole number of seconds`, contextTimeout); msg != "" {
		t.Error(msg)
	}
}

func TestSynthError(t *testing.T) {
	build := &gofunction.BuildError{Package: "./lambdas/x", Err: errors.New("exit status 1")}
	prop := &signingworkflow.InvalidPropError{Prop: "timeout", Reason: "bad"}
	wrapped := fmt.Errorf("workflow: %w", prop)
	tests := []struct {
		recovered any
		want      error
	}{
		{recovered: build, want: build},
		{recovered: prop, want: prop},
		{recovered: wrapped, want: wrapped},
		{recovered: errors.New("some bug"), want: nil},
		{recovered: "a string", want: nil},
	}
	for i, tt := range tests {
		got := synthError(tt.recovered)
		if tt.want == nil && got != nil || tt.want != nil && !errors.Is(got, tt.want) {
			t.Errorf("%d: synthError(%v) = %v, want %v", i, tt.recovered, got, tt.want)
		}
	}
}
