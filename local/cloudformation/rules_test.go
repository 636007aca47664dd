package cloudformation

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// bootstrapRule is CDK's CheckBootstrapVersion over parameter typ with def
// as its Default.
func bootstrapRule(typ, def string) string {
	return `{"Parameters":{"BootstrapVersion":{"Type":"` + typ + `","Default":"` + def + `"}},
		"Rules":{"CheckBootstrapVersion":{"Assertions":[{
			"Assert":{"Fn::Not":[{"Fn::Contains":[["1","2","3","4","5"],{"Ref":"BootstrapVersion"}]}]},
			"AssertDescription":"CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI."}]}}}`
}

// rules wraps a Rules section in a template with parameters Env ("dev") and
// Zones ("a,b").
func rules(section string) string {
	return `{"Parameters":{"Env":{"Type":"String","Default":"dev"},"Zones":{"Type":"CommaDelimitedList","Default":"a,b"},
		"Key":{"Type":"AWS::SSM::Parameter::Value<String>","Default":"/app/key"}},
		"Conditions":{"C":{"Fn::Equals":["a","a"]}},"Rules":` + section + `}`
}

// assert is a Rules section of rule R with one assertion.
func assert(expr string) string {
	return `{"R":{"Assertions":[{"Assert":` + expr + `,"AssertDescription":"R says no"}]}}`
}

const ssmNote = "rule CheckBootstrapVersion is not checked locally: parameter BootstrapVersion is the value of SSM parameter " +
	"/cdk-bootstrap/hnb659fds/version, and SSM is not emulated"

func TestRules(t *testing.T) {
	tests := []struct {
		name     string
		template string
		opts     Options
		notes    []string
		cause    error  // nil: loads
		path     string // of the error
		message  string // in the error
	}{
		{"CDK's bootstrap check reads SSM: a note", bootstrapRule("AWS::SSM::Parameter::Value<String>", "/cdk-bootstrap/hnb659fds/version"),
			Options{}, []string{ssmNote}, nil, "", ""},
		{"bootstrap version from the Default, new enough", bootstrapRule("String", "6"), Options{}, nil, nil, "", ""},
		{"bootstrap version from the Default, too old", bootstrapRule("String", "5"), Options{}, nil, ErrRuleFailed,
			"Rules.CheckBootstrapVersion.Assertions[0]", "rule assertion failed: rule CheckBootstrapVersion: CDK bootstrap stack version 6 required. Please run 'cdk bootstrap'"},
		{"Equals holds", rules(assert(`{"Fn::Equals":[{"Ref":"Env"},"dev"]}`)), Options{}, nil, nil, "", ""},
		{"Equals fails", rules(assert(`{"Fn::Equals":[{"Ref":"Env"},"prod"]}`)), Options{}, nil, ErrRuleFailed, "Rules.R.Assertions[0]", "rule R: R says no"},
		{"pseudo parameter", rules(assert(`{"Fn::Equals":[{"Ref":"AWS::Region"},"us-east-1"]}`)), Options{Region: "eu-west-1"}, nil,
			ErrRuleFailed, "Rules.R.Assertions[0]", "R says no"},
		{"And, Or, Not", rules(assert(`{"Fn::And":[{"Fn::Or":[{"Fn::Equals":["x",{"Ref":"Env"}]},{"Fn::Contains":[["dev"],{"Ref":"Env"}]}]},
			{"Fn::Not":[{"Fn::Equals":[{"Ref":"Env"},"prod"]}]}]}`)), Options{}, nil, nil, "", ""},
		{"Contains over a list parameter", rules(assert(`{"Fn::Contains":[{"Ref":"Zones"},"c"]}`)), Options{}, nil, ErrRuleFailed, "Rules.R.Assertions[0]", "R says no"},
		{"EachMemberEquals fails", rules(assert(`{"Fn::EachMemberEquals":[{"Ref":"Zones"},"a"]}`)), Options{}, nil, ErrRuleFailed, "Rules.R.Assertions[0]", ""},
		{"EachMemberEquals holds", rules(assert(`{"Fn::EachMemberEquals":[["a","a"],"a"]}`)), Options{}, nil, nil, "", ""},
		{"EachMemberIn holds", rules(assert(`{"Fn::EachMemberIn":[{"Ref":"Zones"},["a","b","c"]]}`)), Options{}, nil, nil, "", ""},
		{"EachMemberIn fails", rules(assert(`{"Fn::EachMemberIn":[{"Ref":"Zones"},["a"]]}`)), Options{}, nil, ErrRuleFailed, "Rules.R.Assertions[0]", ""},
		{"numbers compare as strings", rules(assert(`{"Fn::Contains":[[1,2],"2"]}`)), Options{}, nil, nil, "", ""},
		{"false RuleCondition skips the assertions", rules(`{"R":{"RuleCondition":{"Fn::Equals":[{"Ref":"Env"},"prod"]},
			"Assertions":[{"Assert":{"Fn::Equals":["a","b"]}}]}}`), Options{}, nil, nil, "", ""},
		{"true RuleCondition checks them", rules(`{"R":{"RuleCondition":{"Fn::Equals":[{"Ref":"Env"},"dev"]},
			"Assertions":[{"Assert":{"Fn::Equals":["a","a"]}},{"Assert":{"Fn::Equals":["a","b"]}}]}}`), Options{}, nil,
			ErrRuleFailed, "Rules.R.Assertions[1]", "rule R: (no AssertDescription)"},
		{"RuleCondition over SSM: a note, nothing checked", rules(`{"R":{"RuleCondition":{"Fn::Equals":[{"Ref":"Key"},"k"]},
			"Assertions":[{"Assert":{"Fn::Equals":["a","b"]}}]}}`), Options{},
			[]string{"rule R is not checked locally: parameter Key is the value of SSM parameter /app/key, and SSM is not emulated"}, nil, "", ""},
		{"one note per rule, the other assertions checked", rules(`{"R":{"Assertions":[
			{"Assert":{"Fn::Equals":[{"Ref":"Key"},"a"]}},{"Assert":{"Fn::Contains":[["k"],{"Ref":"Key"}]}},
			{"Assert":{"Fn::Equals":[{"Ref":"Env"},"prod"]},"AssertDescription":"prod only"}]}}`), Options{}, nil,
			ErrRuleFailed, "Rules.R.Assertions[2]", "prod only"},
		{"ValueOf reads the account: a note", rules(assert(`{"Fn::Contains":[["vpc-1"],{"Fn::ValueOf":["Env","VpcId"]}]}`)), Options{},
			[]string{"rule R is not checked locally: Fn::ValueOf reads the AWS account"}, nil, "", ""},
		{"rules are checked in name order", rules(`{"B":{"Assertions":[{"Assert":{"Fn::Equals":["a","b"]}}]},
			"A":{"Assertions":[{"Assert":{"Fn::Equals":["a","b"]}}]}}`), Options{}, nil, ErrRuleFailed, "Rules.A.Assertions[0]", ""},
		{"Rules not an object", rules(`[]`), Options{}, nil, ErrMalformed, "Rules", ""},
		{"Assertions missing", rules(`{"R":{}}`), Options{}, nil, ErrMalformed, "Rules.R.Assertions", "missing"},
		{"Assertions not a list", rules(`{"R":{"Assertions":{}}}`), Options{}, nil, ErrMalformed, "Rules.R.Assertions", "want a list"},
		{"Assert missing", rules(`{"R":{"Assertions":[{"AssertDescription":"d"}]}}`), Options{}, nil, ErrMalformed, "Rules.R.Assertions[0].Assert", ""},
		{"Assert not a rule function", rules(assert(`{"Fn::Join":["",[]]}`)), Options{}, nil, ErrMalformed, "Rules.R.Assertions[0].Assert.Fn::Join", ""},
		{"a rule cannot use a condition", rules(assert(`{"Condition":"C"}`)), Options{}, nil, ErrMalformed, "Rules.R.Assertions[0].Assert.Condition", ""},
		{"Contains of a non-list", rules(assert(`{"Fn::Contains":["a","a"]}`)), Options{}, nil, ErrMalformed, "Rules.R.Assertions[0].Assert.Fn::Contains[0]", ""},
		{"Ref to a missing parameter", rules(assert(`{"Fn::Equals":[{"Ref":"Nope"},"a"]}`)), Options{}, nil,
			ErrMissingReference, "Rules.R.Assertions[0].Assert.Fn::Equals[0].Ref", ""},
		{"Contains outside Rules", out(`{"Fn::Contains":[["a"],"a"]}`), Options{}, nil, ErrMalformed, "Outputs.O.Value.Fn::Contains", "only valid in Rules"},
		{"Contains in a condition", `{"Conditions":{"C":{"Fn::Contains":[["a"],"a"]}},"Outputs":{"O":{"Condition":"C","Value":"v"}}}`,
			Options{}, nil, ErrMalformed, "Conditions.C.Fn::Contains", "only valid in Rules"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseTemplate("dir/Rules.template.json", []byte(tt.template), "", tt.opts)
			if tt.cause == nil {
				if err != nil {
					t.Fatalf("ParseTemplate: %v", err)
				}
				if !reflect.DeepEqual(s.Notes, tt.notes) {
					t.Errorf("Notes = %q, want %q", s.Notes, tt.notes)
				}
				return
			}
			var te *TemplateError
			if !errors.Is(err, tt.cause) || !errors.As(err, &te) {
				t.Fatalf("error = %v, want a *TemplateError wrapping %q", err, tt.cause)
			}
			if te.Path != tt.path || !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error = %q at %q, want one at %q containing %q", err, te.Path, tt.path, tt.message)
			}
		})
	}
}

// TestRuleNotesOncePerAssembly: both stacks of testdata/assembly have CDK's
// bootstrap check, noted once; Consumer's StageFromTheManifest holds only
// with the value the manifest passes, not the Default.
func TestRuleNotesOncePerAssembly(t *testing.T) {
	a, err := Load("testdata/assembly", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.Notes(), []string{ssmNote}; !reflect.DeepEqual(got, want) {
		t.Errorf("Notes() = %q, want %q", got, want)
	}
}
