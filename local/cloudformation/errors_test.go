package cloudformation

import (
	"errors"
	"strings"
	"testing"
)

// fn wraps an environment-variable value in a minimal Lambda function template.
func fn(value string) string {
	return `{"Resources":{"F":{"Type":"AWS::Lambda::Function","Properties":{"Handler":"h","Runtime":"provided.al2023",
		"Environment":{"Variables":{"A":` + value + `}}}}}}`
}

// out wraps an output value in a template that also has a resource R and a condition C.
func out(value string) string {
	return `{"Conditions":{"C":{"Fn::Equals":["a","a"]}},"Resources":{"R":{"Type":"AWS::SQS::Queue"}},
		"Outputs":{"O":{"Value":` + value + `}}}`
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name     string
		template string
		cause    error
		path     string
		resource string
	}{
		{"not JSON", `{"Resources":`, ErrMalformed, "", ""},
		{"not an object", `[1]`, ErrMalformed, "", ""},
		{"data after the object", `{} {}`, ErrMalformed, "", ""},
		{"Resources not an object", `{"Resources":[]}`, ErrMalformed, "Resources", ""},
		{"resource without Type", `{"Resources":{"X":{"Properties":{}}}}`, ErrMalformed, "Resources.X.Type", "X"},
		{"Properties not an object", `{"Resources":{"X":{"Type":"T","Properties":1}}}`, ErrMalformed, "Resources.X.Properties", "X"},
		{"output without Value", `{"Outputs":{"O":{}}}`, ErrMalformed, "Outputs.O.Value", ""},
		{"transform", `{"Transform":"AWS::Serverless-2016-10-31","Resources":{}}`, ErrUnsupported, "Transform", ""},
		{"unknown intrinsic", fn(`{"Fn::Bogus":"x"}`), ErrUnknownIntrinsic, "Resources.F.Properties.Environment.Variables.A.Fn::Bogus", "F"},
		{"unsupported intrinsic", out(`{"Fn::Cidr":["10.0.0.0/16","2","8"]}`), ErrUnsupported, "Outputs.O.Value.Fn::Cidr", ""},
		{"Ref to missing resource", fn(`{"Ref":"Nope"}`), ErrMissingReference, "Resources.F.Properties.Environment.Variables.A.Ref", "F"},
		{"Ref not a string", out(`{"Ref":["R"]}`), ErrMalformed, "Outputs.O.Value.Ref", ""},
		{"unknown pseudo parameter", out(`{"Ref":"AWS::Nope"}`), ErrMissingReference, "Outputs.O.Value.Ref", ""},
		{"GetAtt of missing resource", out(`{"Fn::GetAtt":["Nope","Arn"]}`), ErrMissingReference, "Outputs.O.Value.Fn::GetAtt", ""},
		{"GetAtt malformed", out(`{"Fn::GetAtt":"NoDot"}`), ErrMalformed, "Outputs.O.Value.Fn::GetAtt", ""},
		{"GetAtt unknown attribute of an emulated type", fn(`{"Fn::GetAtt":["F","Nope"]}`), ErrUnsupported, "Resources.F.Properties.Environment.Variables.A.Fn::GetAtt", "F"},
		{"Join of a non-list", out(`{"Fn::Join":["",{"Ref":"R"}]}`), ErrMalformed, "Outputs.O.Value.Fn::Join[1]", ""},
		{"Join of an object", out(`{"Fn::Join":["",[{"a":1}]]}`), ErrMalformed, "Outputs.O.Value.Fn::Join[1][0]", ""},
		{"Join with 3 arguments", out(`{"Fn::Join":["",[],1]}`), ErrMalformed, "Outputs.O.Value.Fn::Join", ""},
		{"Sub missing variable", out(`{"Fn::Sub":"${Nope}"}`), ErrMissingReference, "Outputs.O.Value.Fn::Sub", ""},
		{"Sub missing attribute resource", out(`{"Fn::Sub":"${Nope.Arn}"}`), ErrMissingReference, "Outputs.O.Value.Fn::Sub", ""},
		{"Sub unterminated", out(`{"Fn::Sub":"${AWS::Region"}`), ErrMalformed, "Outputs.O.Value.Fn::Sub", ""},
		{"Sub variable map not an object", out(`{"Fn::Sub":["${A}",[]]}`), ErrMalformed, "Outputs.O.Value.Fn::Sub[1]", ""},
		{"Select out of range", out(`{"Fn::Select":[3,["a"]]}`), ErrMalformed, "Outputs.O.Value.Fn::Select[0]", ""},
		{"Select bad index", out(`{"Fn::Select":["x",["a"]]}`), ErrMalformed, "Outputs.O.Value.Fn::Select[0]", ""},
		{"Split empty delimiter", out(`{"Fn::Select":[0,{"Fn::Split":["","abc"]}]}`), ErrMalformed, "Outputs.O.Value.Fn::Select[1].Fn::Split[0]", ""},
		{"If unknown condition", out(`{"Fn::If":["Nope","a","b"]}`), ErrMissingReference, "Outputs.O.Value.Fn::If[0]", ""},
		{"FindInMap missing", out(`{"Fn::FindInMap":["M","a","b"]}`), ErrMissingReference, "Outputs.O.Value.Fn::FindInMap", ""},
		{"ImportValue missing", out(`{"Fn::ImportValue":"Other:Thing"}`), ErrMissingReference, "Outputs.O.Value.Fn::ImportValue", ""},
		{"output value a list", out(`{"Fn::Split":[",","a,b"]}`), ErrMalformed, "Outputs.O.Value", ""},
		{"output value AWS::NoValue", out(`{"Ref":"AWS::NoValue"}`), ErrMalformed, "Outputs.O.Value", ""},
		{"parameter without Default", `{"Parameters":{"P":{"Type":"String"}},"Outputs":{"O":{"Value":{"Ref":"P"}}}}`,
			ErrMissingReference, "Outputs.O.Value.Ref", ""},
		{"condition not a condition function", `{"Conditions":{"C":{"Fn::Join":["",[]]}},"Outputs":{"O":{"Condition":"C","Value":"v"}}}`,
			ErrMalformed, "Conditions.C.Fn::Join", ""},
		{"condition Equals with one argument", `{"Conditions":{"C":{"Fn::Equals":["a"]}},"Outputs":{"O":{"Condition":"C","Value":"v"}}}`,
			ErrMalformed, "Conditions.C.Fn::Equals", ""},
		{"condition cycle", `{"Conditions":{"A":{"Condition":"B"},"B":{"Fn::Not":[{"Condition":"A"}]}},"Outputs":{"O":{"Condition":"A","Value":"v"}}}`,
			ErrCycle, "Conditions.B.Fn::Not[0].Condition", ""},
		{"name cycle", `{"Resources":{"T":{"Type":"AWS::DynamoDB::Table","Properties":{"TableName":{"Fn::GetAtt":["T","Arn"]},
			"KeySchema":[{"AttributeName":"k","KeyType":"HASH"}]}}}}`, ErrCycle, "Resources.T.Properties.TableName.Fn::GetAtt", "T"},
		{"Ref to a resource that is not created", `{"Conditions":{"No":{"Fn::Equals":["a","b"]}},
			"Resources":{"Q":{"Type":"AWS::SQS::Queue","Condition":"No"}},"Outputs":{"O":{"Value":{"Ref":"Q"}}}}`,
			ErrMissingReference, "Outputs.O.Value.Ref", ""},
		{"table without KeySchema", `{"Resources":{"T":{"Type":"AWS::DynamoDB::Table","Properties":{}}}}`,
			ErrMalformed, "Resources.T.Properties.KeySchema", "T"},
		{"function timeout not a number", `{"Resources":{"F":{"Type":"AWS::Lambda::Function","Properties":{"Timeout":"ten"}}}}`,
			ErrMalformed, "Resources.F.Properties.Timeout", "F"},
		{"function tracing mode unknown", `{"Resources":{"F":{"Type":"AWS::Lambda::Function","Properties":{"TracingConfig":{"Mode":"On"}}}}}`,
			ErrMalformed, "Resources.F.Properties.TracingConfig.Mode", "F"},
		{"function description not a string", `{"Resources":{"F":{"Type":"AWS::Lambda::Function","Properties":{"Description":["d"]}}}}`,
			ErrMalformed, "Resources.F.Properties.Description", "F"},
		{"table key schema not a list", `{"Resources":{"T":{"Type":"AWS::DynamoDB::Table","Properties":{"KeySchema":{"a":1}}}}}`,
			ErrMalformed, "Resources.T.Properties.KeySchema", "T"},
		{"definition not JSON", `{"Resources":{"M":{"Type":"AWS::StepFunctions::StateMachine","Properties":{"DefinitionString":"{\"StartAt\":"}}}}`,
			ErrMalformed, "Resources.M.Properties.DefinitionString", "M"},
		{"definition missing", `{"Resources":{"M":{"Type":"AWS::StepFunctions::StateMachine","Properties":{}}}}`,
			ErrMalformed, "Resources.M.Properties.DefinitionString", "M"},
		{"definition in S3", `{"Resources":{"M":{"Type":"AWS::StepFunctions::StateMachine","Properties":{"DefinitionS3Location":{"Bucket":"b","Key":"k"}}}}}`,
			ErrUnsupported, "Resources.M.Properties.DefinitionS3Location", "M"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTemplate("dir/Bad.template.json", []byte(tt.template), "", Options{})
			if !errors.Is(err, tt.cause) {
				t.Fatalf("error = %v, want one wrapping %q", err, tt.cause)
			}
			var te *TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("error %T is not a *TemplateError", err)
			}
			if te.File != "dir/Bad.template.json" || te.Path != tt.path || te.Resource() != tt.resource {
				t.Errorf("error at file %q path %q resource %q, want dir/Bad.template.json, %q, %q",
					te.File, te.Path, te.Resource(), tt.path, tt.resource)
			}
			if !strings.HasPrefix(err.Error(), "dir/Bad.template.json: ") {
				t.Errorf("message %q does not start with the file name", err)
			}
		})
	}
}

func TestUnusedBranchesAreNotEvaluated(t *testing.T) {
	// The false branch of Fn::If and resources of types nothing reads may hold
	// anything; only what is used is resolved.
	tmpl := `{"Conditions":{"No":{"Fn::Equals":["a","b"]}},
		"Resources":{"Other":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":{"Fn::Cidr":["10.0.0.0/8","1","8"]}}}},
		"Outputs":{"O":{"Value":{"Fn::If":["No",{"Fn::Bogus":1},"fine"]}}}}`
	s, err := ParseTemplate("t.json", []byte(tmpl), "S", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := outputMap(s)["O"]; got != "fine" {
		t.Errorf("O = %q, want fine", got)
	}
}
