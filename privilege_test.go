package main

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// unscopedActions are the only actions a role may hold on Resource "*", by
// the service that assumes the role. They take no resource-level
// permissions, and CDK adds them: X-Ray writes for traced functions; X-Ray
// and vended log delivery for the state machine.
var unscopedActions = map[string][]string{
	"lambda.amazonaws.com": {"xray:PutTelemetryRecords", "xray:PutTraceSegments"},
	"states.amazonaws.com": {
		"logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups",
		"logs:DescribeResourcePolicies", "logs:GetLogDelivery", "logs:ListLogDeliveries",
		"logs:PutResourcePolicy", "logs:UpdateLogDelivery",
		"xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments",
	},
}

// TestIAMLeastPrivilege checks every statement of every role whatever the
// exact statements are (TestIAMStatements pins those): see statementProblem.
func TestIAMLeastPrivilege(t *testing.T) {
	f := synth(t, "default")
	own := map[string]bool{}
	for id := range f.template["Resources"].(map[string]any) {
		own[id] = true
	}
	machines := map[string]bool{}
	for id := range f.resources("AWS::StepFunctions::StateMachine") {
		machines[id] = true
	}
	statements := f.roleStatements(t)
	for role := range f.resources("AWS::IAM::Role") {
		service := f.assumedBy(t, role)
		unscoped, ok := unscopedActions[service]
		if !ok {
			t.Errorf("role %s is assumed by %q, want a function's or the state machine's role", role, service)
			continue
		}
		for _, s := range statements[role] {
			if problem := statementProblem(s.(map[string]any), unscoped, own, machines); problem != "" {
				t.Errorf("role %s (%s): %s: %s", role, service, problem, mustJSON(s))
			}
		}
	}
}

// statementProblem describes what makes an Allow statement broader than
// least privilege, or returns "": a wildcard in an action, NotAction or
// NotResource, "*" as the resource of an action outside unscoped, a resource
// that is none of the stack's own (own: logical IDs), or a states: action on
// anything but the stack's state machines (machines) or their executions.
func statementProblem(s map[string]any, unscoped []string, own, machines map[string]bool) string {
	if s["Effect"] != "Allow" {
		return ""
	}
	for _, k := range []string{"NotAction", "NotResource"} {
		if s[k] != nil {
			return k + " allows all but a list"
		}
	}
	actions, resources := listOf(s["Action"]), listOf(s["Resource"])
	for _, a := range actions {
		if a, _ := a.(string); strings.Contains(a, "*") {
			return "wildcard action " + a
		}
	}
	for _, r := range resources {
		for _, a := range actions {
			a := a.(string)
			switch {
			case r == "*" && !slices.Contains(unscoped, a):
				return a + ` on "*"`
			case r != "*" && !refersTo(r, own):
				return fmt.Sprintf("%s on %s, none of the stack's resources", a, mustJSON(r))
			case strings.HasPrefix(a, "states:") && !refersTo(r, machines):
				return fmt.Sprintf("%s on %s, not the stack's state machine", a, mustJSON(r))
			}
		}
	}
	if len(actions) == 0 || len(resources) == 0 {
		return "no Action or no Resource"
	}
	return ""
}

func listOf(v any) []any {
	if list, ok := v.([]any); ok {
		return list
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

// refersTo reports whether v (a resource ARN as the template writes it)
// refers to one of ids with Ref or Fn::GetAtt.
func refersTo(v any, ids map[string]bool) bool {
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["Ref"].(string); ok && ids[ref] {
			return true
		}
		if att, ok := v["Fn::GetAtt"].([]any); ok && len(att) == 2 && ids[fmt.Sprint(att[0])] {
			return true
		}
		for _, x := range v {
			if refersTo(x, ids) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if refersTo(x, ids) {
				return true
			}
		}
	}
	return false
}

// assumedBy returns the service principal that may assume the role.
func (f *fixture) assumedBy(t *testing.T, role string) string {
	t.Helper()
	doc := f.resources("AWS::IAM::Role")[role]["Properties"].(map[string]any)["AssumeRolePolicyDocument"]
	var services []string
	for _, s := range doc.(map[string]any)["Statement"].([]any) {
		principal, _ := s.(map[string]any)["Principal"].(map[string]any)
		for _, p := range listOf(principal["Service"]) {
			services = append(services, fmt.Sprint(p))
		}
		if len(principal) != 1 || principal["Service"] == nil {
			t.Errorf("role %s: principal %v, want one service", role, principal)
		}
	}
	return strings.Join(services, ",")
}

func TestStatementProblem(t *testing.T) {
	own := map[string]bool{"Table": true, "Machine": true}
	machines := map[string]bool{"Machine": true}
	xray := []string{"xray:PutTraceSegments"}
	tableARN := map[string]any{"Fn::GetAtt": []any{"Table", "Arn"}}
	executions := map[string]any{"Fn::Join": []any{"", []any{"arn:aws:states:::execution:",
		map[string]any{"Fn::GetAtt": []any{"Machine", "Name"}}, ":*"}}}
	allow := func(action, resource any) map[string]any {
		return map[string]any{"Effect": "Allow", "Action": action, "Resource": resource}
	}
	tests := []struct {
		name string
		s    map[string]any
		want string // "" or a part of the problem
	}{
		{name: "table item", s: allow("dynamodb:PutItem", tableARN)},
		{name: "executions", s: allow([]any{"states:DescribeExecution"}, executions)},
		{name: "send task", s: allow("states:SendTaskSuccess", map[string]any{"Ref": "Machine"})},
		{name: "x-ray on *", s: allow("xray:PutTraceSegments", "*")},
		{name: "deny *", s: map[string]any{"Effect": "Deny", "Action": "*", "Resource": "*"}},
		{name: "*", s: allow("*", tableARN), want: "wildcard action *"},
		{name: "service *", s: allow([]any{"dynamodb:PutItem", "dynamodb:*"}, tableARN), want: "wildcard action dynamodb:*"},
		{name: "prefix *", s: allow("xray:Put*", "*"), want: "wildcard action xray:Put*"},
		{name: "NotAction", s: map[string]any{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}, want: "NotAction"},
		{name: "table action on *", s: allow("dynamodb:GetItem", "*"), want: `dynamodb:GetItem on "*"`},
		{name: "states on *", s: allow([]any{"states:SendTaskSuccess"}, []any{"*"}), want: `states:SendTaskSuccess on "*"`},
		{name: "states on a literal ARN", s: allow("states:SendTaskSuccess", "arn:aws:states:us-east-1:0:stateMachine:*"),
			want: "none of the stack's resources"},
		{name: "states on the table", s: allow("states:SendTaskFailure", tableARN), want: "not the stack's state machine"},
		{name: "another table", s: allow("dynamodb:GetItem", map[string]any{"Fn::GetAtt": []any{"Other", "Arn"}}),
			want: "none of the stack's resources"},
		{name: "no resource", s: map[string]any{"Effect": "Allow", "Action": "dynamodb:GetItem"}, want: "no Resource"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := statementProblem(tt.s, xray, own, machines)
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestFunctionGrants pins the actions each function holds beyond its logs
// and X-Ray. request-signature and sign-document write with PutItem alone: on
// AWS a refused conditional put returns the existing item with it, so they
// need no GetItem. Only the signers may kms:Sign; pinning reads the current
// version (s3:GetObject), checking a pinned one reads that version
// (s3:GetObjectVersion); both list the bucket, so that S3 answers a missing
// object 404, not 403.
func TestFunctionGrants(t *testing.T) {
	f := synth(t, "default")
	fns := f.functions(t)
	statements := f.roleStatements(t)
	tests := []struct {
		pkg  string
		want []string
	}{
		{pkg: pinPkg, want: []string{"s3:GetObject", "s3:ListBucket"}},
		{pkg: signPkg, want: []string{"dynamodb:PutItem", "kms:Sign", "s3:GetObjectVersion", "s3:ListBucket"}},
		{pkg: requestPkg, want: []string{"dynamodb:PutItem", "sns:Publish"}},
		{pkg: completePkg, want: []string{"dynamodb:GetItem", "dynamodb:UpdateItem", "kms:Sign", "s3:GetObjectVersion", "s3:ListBucket",
			"states:DescribeExecution", "states:GetExecutionHistory", "states:SendTaskFailure", "states:SendTaskSuccess"}},
		// Public: it may read the request and invoke complete-signature, nothing that signs.
		{pkg: pagePkg, want: []string{"dynamodb:GetItem", "lambda:InvokeFunction", "s3:GetObjectVersion"}},
		{pkg: docsPkg, want: []string{"dynamodb:Query", "s3:GetObject", "s3:ListBucket", "s3:PutObject", "states:DescribeExecution", "states:StartExecution"}},
	}
	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			role := roleOf(t, f.resources("AWS::Lambda::Function")[fns[tt.pkg]], "Role")
			var got []string
			for _, s := range statements[role] {
				for _, a := range listOf(s.(map[string]any)["Action"]) {
					service, _, _ := strings.Cut(a.(string), ":")
					if service != "logs" && service != "xray" && !slices.Contains(got, a.(string)) {
						got = append(got, a.(string))
					}
				}
			}
			slices.Sort(got)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
