package main

import (
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The IAM statements each role may have, exactly. Beyond what the issue
// grants, CDK adds X-Ray writes (functions and state machine), log delivery
// (state machine) and lambda:InvokeFunction (state machine). The rules any
// statement must follow are in privilege_test.go.
func TestIAMStatements(t *testing.T) {
	f := synth(t, "default")
	fns := f.functions(t)
	tableID, _ := f.only(t, "AWS::DynamoDB::Table")
	smID, sm := f.only(t, "AWS::StepFunctions::StateMachine")
	tableARN := map[string]any{"Fn::GetAtt": []any{tableID, "Arn"}}
	allow := func(resource any, actions ...string) map[string]any {
		var action any = actions[0]
		if len(actions) > 1 {
			action = toAny(actions)
		}
		return map[string]any{"Effect": "Allow", "Action": action, "Resource": resource}
	}
	xray := allow("*", "xray:PutTelemetryRecords", "xray:PutTraceSegments")
	fnBase := func(pkg string) []any {
		logGroup := f.resourceWith(t, "AWS::Logs::LogGroup", constructOf(f.resources("AWS::Lambda::Function")[fns[pkg]]))
		return []any{allow(map[string]any{"Fn::GetAtt": []any{logGroup, "Arn"}}, "logs:CreateLogStream", "logs:PutLogEvents"), xray}
	}
	executions := map[string]any{"Fn::Join": []any{"", []any{
		"arn:", map[string]any{"Ref": "AWS::Partition"}, ":states:", map[string]any{"Ref": "AWS::Region"}, ":",
		map[string]any{"Ref": "AWS::AccountId"}, ":execution:", map[string]any{"Fn::GetAtt": []any{smID, "Name"}}, ":*",
	}}}
	fnARN := func(pkg string) any { return map[string]any{"Fn::GetAtt": []any{fns[pkg], "Arn"}} }
	versions := func(pkg string) any { return map[string]any{"Fn::Join": []any{"", []any{fnARN(pkg), ":*"}}} }
	bucketID, _ := f.only(t, "AWS::S3::Bucket")
	keyID, _ := f.only(t, "AWS::KMS::Key")
	topicID, _ := f.only(t, "AWS::SNS::Topic")
	documents := map[string]any{"Fn::Join": []any{"", []any{map[string]any{"Fn::GetAtt": []any{bucketID, "Arn"}}, "/documents/*"}}}
	list := allow(map[string]any{"Fn::GetAtt": []any{bucketID, "Arn"}}, "s3:ListBucket")
	signingKey := map[string]any{"Fn::GetAtt": []any{keyID, "Arn"}}
	want := map[string][]any{
		roleOf(t, f.resources("AWS::Lambda::Function")[fns[pinPkg]], "Role"): append(fnBase(pinPkg),
			allow(documents, "s3:GetObject"), list),
		roleOf(t, f.resources("AWS::Lambda::Function")[fns[signPkg]], "Role"): append(fnBase(signPkg),
			allow(tableARN, "dynamodb:PutItem"), allow(documents, "s3:GetObjectVersion"), list, allow(signingKey, "kms:Sign")),
		roleOf(t, f.resources("AWS::Lambda::Function")[fns[requestPkg]], "Role"): append(fnBase(requestPkg),
			allow(tableARN, "dynamodb:PutItem"), allow(map[string]any{"Ref": topicID}, "sns:Publish")),
		roleOf(t, f.resources("AWS::Lambda::Function")[fns[completePkg]], "Role"): append(fnBase(completePkg),
			allow(tableARN, "dynamodb:GetItem", "dynamodb:UpdateItem"),
			allow(map[string]any{"Ref": smID}, "states:SendTaskFailure", "states:SendTaskSuccess"),
			allow(executions, "states:DescribeExecution", "states:GetExecutionHistory"),
			allow(documents, "s3:GetObjectVersion"), list, allow(signingKey, "kms:Sign")),
		// The public signing page reads the request and invokes complete-signature.
		roleOf(t, f.resources("AWS::Lambda::Function")[fns[pagePkg]], "Role"): append(fnBase(pagePkg),
			allow(tableARN, "dynamodb:GetItem"),
			allow([]any{fnARN(completePkg), versions(completePkg)}, "lambda:InvokeFunction"),
			allow(documents, "s3:GetObjectVersion")), // no s3:ListBucket: it must not list document ids
		roleOf(t, f.resources("AWS::Lambda::Function")[fns[docsPkg]], "Role"): append(fnBase(docsPkg),
			allow(documents, "s3:GetObject", "s3:PutObject"), list,
			allow(map[string]any{"Ref": smID}, "states:StartExecution"),
			allow(executions, "states:DescribeExecution"),
			allow(tableARN, "dynamodb:Query")),
		roleOf(t, sm, "RoleArn"): {
			allow([]any{fnARN(pinPkg), fnARN(requestPkg), fnARN(signPkg), versions(pinPkg), versions(requestPkg), versions(signPkg)}, "lambda:InvokeFunction"),
			allow("*", "logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups",
				"logs:DescribeResourcePolicies", "logs:GetLogDelivery", "logs:ListLogDeliveries",
				"logs:PutResourcePolicy", "logs:UpdateLogDelivery", "xray:GetSamplingRules",
				"xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"),
		},
	}
	got := f.roleStatements(t)
	if len(got) != len(want) {
		t.Errorf("policies attach to roles %v, want %d roles", slices.Sorted(maps.Keys(got)), len(want))
	}
	for role, statements := range want {
		if g, w := normalized(got[role]), normalized(statements); g != w {
			t.Errorf("role %s statements:\n got %s\nwant %s", role, g, w)
		}
	}
	for id, r := range f.resources("AWS::IAM::Role") {
		props := r["Properties"].(map[string]any)
		if props["ManagedPolicyArns"] != nil || props["Policies"] != nil {
			t.Errorf("role %s has managed or inline policies %v %v, want only its default policy",
				id, props["ManagedPolicyArns"], props["Policies"])
		}
	}
}

// roleStatements returns the statements of every policy attached to each
// role, by the role's logical ID: the AWS::IAM::Policy resources (each
// attached to one role) and the role's inline Policies.
func (f *fixture) roleStatements(t *testing.T) map[string][]any {
	t.Helper()
	got := map[string][]any{}
	add := func(role string, document any) {
		got[role] = append(got[role], document.(map[string]any)["Statement"].([]any)...)
	}
	for id, p := range f.resources("AWS::IAM::Policy") {
		props := p["Properties"].(map[string]any)
		roles, _ := props["Roles"].([]any)
		if len(roles) != 1 {
			t.Fatalf("policy %s is attached to %v, want one role", id, roles)
		}
		add(roles[0].(map[string]any)["Ref"].(string), props["PolicyDocument"])
	}
	for id, r := range f.resources("AWS::IAM::Role") {
		policies, _ := r["Properties"].(map[string]any)["Policies"].([]any)
		for _, p := range policies {
			add(id, p.(map[string]any)["PolicyDocument"])
		}
	}
	return got
}

func roleOf(t *testing.T, r map[string]any, prop string) string {
	t.Helper()
	att, _ := r["Properties"].(map[string]any)[prop].(map[string]any)["Fn::GetAtt"].([]any)
	if len(att) != 2 {
		t.Fatalf("%s is not a GetAtt of a role: %v", prop, r["Properties"])
	}
	return att[0].(string)
}

// normalized renders statements in a canonical order for comparison: no
// action may be a wildcard (TestIAMLeastPrivilege), so sorting actions and
// resources loses nothing.
func normalized(statements []any) string {
	var out []string
	for _, s := range jsonValue(statements).([]any) {
		s := s.(map[string]any)
		for _, k := range []string{"Action", "Resource"} {
			if list, ok := s[k].([]any); ok {
				sort.Slice(list, func(i, j int) bool { return mustJSON(list[i]) < mustJSON(list[j]) })
			}
		}
		out = append(out, mustJSON(s))
	}
	sort.Strings(out)
	return "[" + strings.Join(out, ",\n") + "]"
}

func toAny[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
