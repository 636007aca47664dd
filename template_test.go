package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

func TestTableAndRemovalPolicy(t *testing.T) {
	tests := []struct {
		fixture string
		policy  string
	}{
		{fixture: "default", policy: "Delete"},
		{fixture: "three", policy: "Retain"}, // removalPolicy=retain
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			f := synth(t, tt.fixture)
			match(t, "table", func() {
				f.assert.ResourceCountIs(jsii.String("AWS::DynamoDB::Table"), jsii.Number(1))
				f.assert.HasResourceProperties(jsii.String("AWS::DynamoDB::Table"), map[string]any{
					"KeySchema": []any{
						map[string]any{"AttributeName": "documentId", "KeyType": "HASH"},
						map[string]any{"AttributeName": "signer", "KeyType": "RANGE"},
					},
					"AttributeDefinitions": []any{
						map[string]any{"AttributeName": "documentId", "AttributeType": "S"},
						map[string]any{"AttributeName": "signer", "AttributeType": "S"},
					},
					"BillingMode":                      "PAY_PER_REQUEST",
					"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true},
					"TimeToLiveSpecification":          map[string]any{"AttributeName": "expiresAt", "Enabled": true},
					"SSESpecification":                 map[string]any{"SSEEnabled": true, "KMSMasterKeyId": assertions.Match_Absent()}, // the AWS managed key
				})
			})
			for _, typ := range []string{"AWS::DynamoDB::Table", "AWS::Logs::LogGroup", "AWS::S3::Bucket", "AWS::KMS::Key"} {
				if len(f.resources(typ)) == 0 {
					t.Errorf("no %s in the template", typ)
				}
				for id, r := range f.resources(typ) {
					if r["DeletionPolicy"] != tt.policy || r["UpdateReplacePolicy"] != tt.policy {
						t.Errorf("%s: DeletionPolicy %v, UpdateReplacePolicy %v, want %s",
							id, r["DeletionPolicy"], r["UpdateReplacePolicy"], tt.policy)
					}
					if days := r["Properties"].(map[string]any)["RetentionInDays"]; typ == "AWS::Logs::LogGroup" && days != 365.0 {
						t.Errorf("%s: RetentionInDays = %v, want 365", id, days)
					}
				}
			}
		})
	}
}

func TestFunctions(t *testing.T) {
	f := synth(t, "default")
	fns := f.functions(t)
	tableID, _ := f.only(t, "AWS::DynamoDB::Table")
	table := map[string]any{"Ref": tableID}
	bucketID, _ := f.only(t, "AWS::S3::Bucket")
	bucket := map[string]any{"Ref": bucketID}
	keyID, _ := f.only(t, "AWS::KMS::Key")
	key := map[string]any{"Fn::GetAtt": []any{keyID, "Arn"}}
	topicID, _ := f.only(t, "AWS::SNS::Topic")
	topic := map[string]any{"Ref": topicID}
	apiID, _ := f.only(t, "AWS::ApiGatewayV2::Api")
	apiURL := map[string]any{"Fn::Join": []any{"", []any{map[string]any{"Fn::GetAtt": []any{apiID, "ApiEndpoint"}}, "/"}}}
	smID, _ := f.only(t, "AWS::StepFunctions::StateMachine")
	completeEnv := map[string]any{
		"TABLE_NAME": table, "CALLBACK_SIGNERS": "Bob", "CLAIM_LEASE_SECONDS": "30", "SIGNING_KEY_ARN": key,
	}
	tests := []struct {
		pkg string
		env map[string]any
	}{
		{pkg: pinPkg, env: map[string]any{"DOCUMENT_BUCKET": bucket}},
		{pkg: signPkg, env: map[string]any{"TABLE_NAME": table, "SIGNING_KEY_ARN": key}},
		{pkg: requestPkg, env: map[string]any{"TABLE_NAME": table, "NOTIFICATION_TOPIC_ARN": topic, "API_URL": apiURL}},
		{pkg: completePkg, env: completeEnv},
		{pkg: pagePkg, env: map[string]any{"TABLE_NAME": table, "CALLBACK_SIGNERS": "Bob",
			"COMPLETE_SIGNATURE_FUNCTION": map[string]any{"Ref": fns[completePkg]}}},
		{pkg: docsPkg, env: map[string]any{"TABLE_NAME": table, "DOCUMENT_BUCKET": bucket, "STATE_MACHINE_ARN": map[string]any{"Ref": smID}}},
	}
	if len(fns) != len(tests) {
		t.Errorf("got functions %v, want %d", fns, len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			fn := f.resources("AWS::Lambda::Function")[fns[tt.pkg]]
			props := fn["Properties"].(map[string]any)
			logGroup := f.resourceWith(t, "AWS::Logs::LogGroup", constructOf(fn))
			want := map[string]any{
				"Runtime": "provided.al2023", "Architectures": []any{"arm64"}, "Handler": "bootstrap",
				"Timeout": 10.0, "TracingConfig": map[string]any{"Mode": "Active"},
				"LoggingConfig": map[string]any{"LogFormat": "JSON", "LogGroup": map[string]any{"Ref": logGroup}},
			}
			for k, v := range want {
				if !reflect.DeepEqual(props[k], v) {
					t.Errorf("%s = %v, want %v", k, props[k], v)
				}
			}
			var gotEnv any
			if e, ok := props["Environment"].(map[string]any); ok {
				gotEnv = e["Variables"]
			}
			wantEnv := maps.Clone(tt.env)
			wantEnv["GOMAXPROCS"] = "1" // a 128 MB function has well under one vCPU
			if !reflect.DeepEqual(gotEnv, any(wantEnv)) {
				t.Errorf("Environment.Variables = %v, want %v", gotEnv, wantEnv)
			}
			checkAsset(t, f, props)
		})
	}
	three := synth(t, "three")
	complete := three.resources("AWS::Lambda::Function")[three.functions(t)[completePkg]]
	env := complete["Properties"].(map[string]any)["Environment"].(map[string]any)["Variables"].(map[string]any)
	if got := env["CALLBACK_SIGNERS"]; got != "Bob,Carol" {
		t.Errorf("three signers: CALLBACK_SIGNERS = %v, want Bob,Carol", got)
	}
}

// checkAsset checks the function's code asset is a zip file, staged as it
// is, holding only bootstrap: executable (0755, whatever the host's file
// modes) and a static linux/arm64 binary. Its asset hash derives from the
// zip alone.
func checkAsset(t *testing.T, f *fixture, props map[string]any) {
	t.Helper()
	key := props["Code"].(map[string]any)["S3Key"].(string)
	hash := strings.TrimSuffix(key, ".zip")
	b, err := os.ReadFile(filepath.Join(f.dir, "asset."+hash+".zip"))
	if err != nil {
		t.Fatalf("asset: want a zip file staged as it is: %v", err)
	}
	zipHash := sha256.Sum256(b)
	// CDK stages a custom hash h under sha256(h).
	if want := sha256.Sum256([]byte(hex.EncodeToString(zipHash[:]))); hex.EncodeToString(want[:]) != hash {
		t.Errorf("asset hash %s is not derived from the zip's SHA-256", hash)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("asset: %v", err)
	}
	if len(zr.File) != 1 || zr.File[0].Name != "bootstrap" {
		t.Fatalf("asset holds %v, want only bootstrap", zr.File)
	}
	if mode := zr.File[0].Mode(); mode != 0o755 {
		t.Errorf("bootstrap mode %v, want -rwxr-xr-x (Lambda runs it)", mode)
	}
	r, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	bin, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	exe, err := elf.NewFile(bytes.NewReader(bin))
	if err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	if exe.Machine != elf.EM_AARCH64 || exe.OSABI != elf.ELFOSABI_NONE && exe.OSABI != elf.ELFOSABI_LINUX {
		t.Errorf("bootstrap is %v/%v, want linux arm64", exe.Machine, exe.OSABI)
	}
	for _, p := range exe.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("bootstrap is dynamically linked, want a static binary (CGO_ENABLED=0)")
		}
	}
}
