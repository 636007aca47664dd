package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const goodOutputs = `{"DocumentSigningStack":{"StateMachineArn":"arn:aws:states:us-east-1:000000000000:stateMachine:Signing",
  "TableName":"Tokens","CompleteSignatureFunctionName":"Complete","Other":"x"},"OtherStack":{}}`

func TestParseOutputs(t *testing.T) {
	tests := []struct {
		name, data string
		want       Outputs
		wantErr    string
	}{
		{name: "cdk deploy's shape", data: goodOutputs, want: Outputs{File: "f.json",
			StateMachineARN: "arn:aws:states:us-east-1:000000000000:stateMachine:Signing", TableName: "Tokens",
			CompleteSignatureFunctionName: "Complete"}},
		{name: "with the storage outputs", data: `{"DocumentSigningStack":{"StateMachineArn":"arn:aws:states:us-east-1:000000000000:stateMachine:S",
  "TableName":"T","CompleteSignatureFunctionName":"C","DocumentBucketName":"docs","SigningKeyArn":"arn:aws:kms:us-east-1:000000000000:key/k"}}`,
			want: Outputs{File: "f.json", StateMachineARN: "arn:aws:states:us-east-1:000000000000:stateMachine:S", TableName: "T",
				CompleteSignatureFunctionName: "C", DocumentBucketName: "docs", SigningKeyARN: "arn:aws:kms:us-east-1:000000000000:key/k"}},
		{name: "not JSON", data: `{`, wantErr: "outputs file f.json: not a JSON object of stacks"},
		{name: "no such stack", data: `{"B":{},"A":{}}`, wantErr: "no DocumentSigningStack in it (it has: A, B)"},
		{name: "empty", data: `{}`, wantErr: "(it has: no stacks)"},
		{name: "missing outputs", data: `{"DocumentSigningStack":{"TableName":"T"}}`,
			wantErr: "DocumentSigningStack lacks output(s) StateMachineArn, CompleteSignatureFunctionName"},
		{name: "stack not an object", data: `{"DocumentSigningStack":[]}`, wantErr: "DocumentSigningStack is not an object of outputs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseOutputs("f.json", []byte(tt.data))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("parseOutputs = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

// TestRequire: outputs only some commands use are required by those.
func TestRequire(t *testing.T) {
	o := Outputs{File: "f.json", DocumentBucketName: "docs"}
	if got, err := o.Require("DocumentBucketName"); got != "docs" || err != nil {
		t.Errorf("Require(DocumentBucketName) = %q, %v; want docs", got, err)
	}
	_, err := o.Require("SigningKeyArn")
	if want := "outputs file f.json: DocumentSigningStack lacks output SigningKeyArn; redeploy, or restart `signctl local`"; err == nil || err.Error() != want {
		t.Errorf("Require(SigningKeyArn) = %v, want %q", err, want)
	}
}

func TestReadOutputsDefaultFiles(t *testing.T) {
	local := strings.ReplaceAll(goodOutputs, "Tokens", "LocalTokens")
	tests := []struct {
		name      string
		files     map[string]string
		flag      string
		wantTable string
		wantErr   string
	}{
		{name: "deployed first", files: map[string]string{"cdk-outputs.json": goodOutputs, "cdk-outputs.local.json": local}, wantTable: "Tokens"},
		{name: "else the local one", files: map[string]string{"cdk-outputs.local.json": local}, wantTable: "LocalTokens"},
		{name: "the flag wins", files: map[string]string{"cdk-outputs.json": goodOutputs, "mine.json": local}, flag: "mine.json", wantTable: "LocalTokens"},
		{name: "none", wantErr: "neither cdk-outputs.json (written by `make deploy`) nor cdk-outputs.local.json"},
		{name: "flag names a missing file", files: map[string]string{"cdk-outputs.json": goodOutputs}, flag: "gone.json",
			wantErr: "outputs file gone.json does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(dir)
			got, err := ReadOutputs(tt.flag)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got.TableName != tt.wantTable {
				t.Errorf("ReadOutputs(%q) = %+v, %v; want table %s", tt.flag, got, err, tt.wantTable)
			}
		})
	}
}
