package cloudformation

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"
	"time"
)

func TestTables(t *testing.T) {
	s := parseFile(t, "testdata/resources.template.json", "Res", Options{})
	tokens := outputMap(s)["TableName"]
	want := []Table{
		{
			LogicalID: "GlobalTable6A1F2B3C", Type: "AWS::DynamoDB::GlobalTable",
			Name:                 "explicit-global",
			ARN:                  "arn:aws:dynamodb:us-east-1:000000000000:table/explicit-global",
			StreamARN:            "arn:aws:dynamodb:us-east-1:000000000000:table/explicit-global/stream/1970-01-01T00:00:00.000",
			KeySchema:            []KeyElement{{"id", "HASH"}},
			AttributeDefinitions: []AttributeDefinition{{"id", "S"}},
			BillingMode:          "PAY_PER_REQUEST",
			PointInTimeRecovery:  true, // the us-east-1 replica's, not eu-west-1's
		},
		{
			LogicalID: "TokensTableABC12345", Type: "AWS::DynamoDB::Table",
			Name:      tokens,
			ARN:       "arn:aws:dynamodb:us-east-1:000000000000:table/" + tokens,
			KeySchema: []KeyElement{{"documentId", "HASH"}, {"signer", "RANGE"}},
			AttributeDefinitions: []AttributeDefinition{
				{"documentId", "S"}, {"signer", "S"}, {"status", "S"}, {"expiresAt", "N"},
			},
			BillingMode:           "PROVISIONED",
			ProvisionedThroughput: &Throughput{ReadCapacityUnits: 5, WriteCapacityUnits: 3},
			GlobalSecondaryIndexes: []SecondaryIndex{{
				IndexName:             "byStatus",
				KeySchema:             []KeyElement{{"status", "HASH"}, {"expiresAt", "RANGE"}},
				Projection:            Projection{ProjectionType: "INCLUDE", NonKeyAttributes: []string{"executionArn"}},
				ProvisionedThroughput: &Throughput{ReadCapacityUnits: 1, WriteCapacityUnits: 1},
			}},
			LocalSecondaryIndexes: []SecondaryIndex{{
				IndexName:  "byExpiry",
				KeySchema:  []KeyElement{{"documentId", "HASH"}, {"expiresAt", "RANGE"}},
				Projection: Projection{ProjectionType: "KEYS_ONLY"},
			}},
			TTL:                 &TTL{AttributeName: "expiresAt", Enabled: true},
			PointInTimeRecovery: true,
		},
	}
	if !regexp.MustCompile(`^Res-TokensTableABC12345-[A-Z0-9]{12}$`).MatchString(tokens) {
		t.Errorf("generated table name %q, want Res-TokensTableABC12345-<12 chars>", tokens)
	}
	if !reflect.DeepEqual(s.Tables, want) {
		t.Errorf("Tables:\n got %+v\nwant %+v", s.Tables, want)
	}
}

func TestFunctions(t *testing.T) {
	s := parseFile(t, "testdata/resources.template.json", "Res", Options{})
	if len(s.Functions) != 2 {
		t.Fatalf("got %d functions, want 2", len(s.Functions))
	}
	long, sign := s.Functions[0], s.Functions[1]
	out := outputMap(s)
	two := 2
	wantSign := Function{
		LogicalID: "SignFnABCDEF12", Name: out["SignFunctionName"],
		ARN:     "arn:aws:lambda:us-east-1:000000000000:function:" + out["SignFunctionName"],
		Runtime: "provided.al2023", Handler: "bootstrap", Description: "Signs documents in Res.",
		Timeout: 10 * time.Second, MemorySize: 256, Architectures: []string{"arm64"},
		Environment: map[string]string{
			"TABLE_NAME":          out["TableName"],
			"TABLE_ARN":           "arn:aws:dynamodb:us-east-1:000000000000:table/" + out["TableName"],
			"CLAIM_LEASE_SECONDS": "30",
			"NUMBER":              "7",
		},
		LogFormat: "JSON", LogGroup: sign.LogGroup,
		ApplicationLogLevel: "INFO", SystemLogLevel: "INFO", TracingMode: "Active",
		RoleARN:   sign.RoleARN,
		GoPackage: "./lambdas/signdocument",
		AssetPath: filepath.Join("testdata", "asset.0123abcd"),
	}
	if !reflect.DeepEqual(sign, wantSign) {
		t.Errorf("function:\n got %+v\nwant %+v", sign, wantSign)
	}
	checks := []struct{ what, got, pattern string }{
		{"log group (Ref to a LogGroup)", sign.LogGroup, `^Res-SignFnLogGroup1234ABCD-[A-Z0-9]{12}$`},
		{"role ARN", sign.RoleARN, `^arn:aws:iam::000000000000:role/Res-SignFnServiceRoleABCD1234-[A-Z0-9]{12}$`},
		{"long name", long.Name, `^Res-AVeryLongLogicalIdForAFunctionThatOverflowsTheS-[A-Z0-9]{12}$`},
	}
	for _, c := range checks {
		if !regexp.MustCompile(c.pattern).MatchString(c.got) {
			t.Errorf("%s = %q, want a match for %s", c.what, c.got, c.pattern)
		}
	}
	if len(long.Name) > 64 {
		t.Errorf("generated function name %q is %d chars, over Lambda's 64", long.Name, len(long.Name))
	}
	wantDefaults := Function{Timeout: 3 * time.Second, MemorySize: 128, Architectures: []string{"x86_64"},
		LogFormat: "Text", LogGroup: "/aws/lambda/" + long.Name, ReservedConcurrency: &two, Environment: map[string]string{},
		TracingMode: "PassThrough"}
	gotDefaults := Function{Timeout: long.Timeout, MemorySize: long.MemorySize, Architectures: long.Architectures,
		LogFormat: long.LogFormat, LogGroup: long.LogGroup, ReservedConcurrency: long.ReservedConcurrency, Environment: long.Environment,
		TracingMode: long.TracingMode, Description: long.Description}
	if !reflect.DeepEqual(gotDefaults, wantDefaults) {
		t.Errorf("defaults:\n got %+v\nwant %+v", gotDefaults, wantDefaults)
	}
}

func TestStateMachines(t *testing.T) {
	s := parseFile(t, "testdata/resources.template.json", "Res", Options{})
	out := outputMap(s)
	fnARN := s.Functions[1].ARN
	if len(s.StateMachines) != 2 {
		t.Fatalf("got %d state machines, want 2", len(s.StateMachines))
	}
	express, workflow := s.StateMachines[0], s.StateMachines[1]
	tests := []struct {
		name, got, want string
	}{
		{"workflow ARN", workflow.ARN, out["StateMachineArn"]},
		{"workflow ARN from name", workflow.ARN, "arn:aws:states:us-east-1:000000000000:stateMachine:" + workflow.Name},
		{"workflow type", workflow.Type, "STANDARD"},
		{"workflow definition", workflow.Definition,
			`{"StartAt":"Sign","States":{"Sign":{"End":true,"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"` +
				fnARN + `","Payload.$":"$"}}},"TimeoutSeconds":12}`},
		{"express name", express.Name, "express-<&>"},
		{"express type", express.Type, "EXPRESS"},
		{"express definition", express.Definition,
			`{"StartAt":"Call","States":{"Call":{"Comment":"a < b && ${Unknown}","End":true,"Resource":"` + fnARN + `","TimeoutSeconds":5,"Type":"Task"}}}`},
		{"express role", express.RoleARN, workflow.RoleARN},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	if !regexp.MustCompile(`^WorkflowStateMachineABCD-[A-Z0-9]{12}$`).MatchString(workflow.Name) {
		t.Errorf("workflow name %q, want WorkflowStateMachineABCD-<12 chars>", workflow.Name)
	}
	wantLogging := &StateMachineLogging{Level: "ERROR", LogGroupARNs: []string{
		"arn:aws:logs:us-east-1:000000000000:log-group:Res-WorkflowLogs5678-" + suffixFrom("Res", "WorkflowLogs5678") + ":*",
	}}
	if !reflect.DeepEqual(workflow.Logging, wantLogging) || !workflow.Tracing {
		t.Errorf("logging = %+v tracing = %v, want %+v and true", workflow.Logging, workflow.Tracing, wantLogging)
	}
	if express.Logging != nil || express.Tracing {
		t.Errorf("express logging = %+v tracing = %v, want nil and false", express.Logging, express.Tracing)
	}
	if !json.Valid([]byte(workflow.Definition)) {
		t.Errorf("workflow definition is not JSON: %s", workflow.Definition)
	}
}

func TestNotEmulated(t *testing.T) {
	s := parseFile(t, "testdata/resources.template.json", "Res", Options{})
	want := []string{"AWS::CloudFormation::WaitConditionHandle", "AWS::IAM::Policy", "AWS::IAM::Role", "AWS::Logs::LogGroup", "Custom::LogRetention"}
	if !reflect.DeepEqual(s.NotEmulated, want) {
		t.Errorf("NotEmulated = %q, want %q (AWS::CDK::Metadata is left out)", s.NotEmulated, want)
	}
}
