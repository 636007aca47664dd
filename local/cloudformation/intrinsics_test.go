package cloudformation

import (
	"os"
	"regexp"
	"slices"
	"testing"
)

func parseFile(t *testing.T, file, stackName string, opts Options) *Stack {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseTemplate(file, data, stackName, opts)
	if err != nil {
		t.Fatalf("ParseTemplate(%s): %v", file, err)
	}
	return s
}

func outputMap(s *Stack) map[string]string {
	m := map[string]string{}
	for _, o := range s.Outputs {
		m[o.Key] = o.Value
	}
	return m
}

func TestIntrinsics(t *testing.T) {
	s := parseFile(t, "testdata/intrinsics.template.json", "Intrinsics", Options{})
	out := outputMap(s)
	// Generated names are checked for shape in TestGeneratedNames; here the
	// values built from them must agree with them.
	table, fn, logs, bus := out["RefTable"], out["RefFunction"], out["RefLogs"], out["RefGeneric"]
	machine := out["AttMachineName"]
	tests := []struct{ key, want string }{
		{"RefString", "dev"},
		{"RefNumber", "8080"},
		{"RefSSM", "/cdk-bootstrap/hnb659fds/version"},
		{"RefNamedTable", "Intrinsics-named-dev"},
		{"RefMachine", "arn:aws:states:us-east-1:000000000000:stateMachine:" + machine},
		{"Partition", "aws"},
		{"Region", "us-east-1"},
		{"Account", "000000000000"},
		{"StackName", "Intrinsics"},
		{"URLSuffix", "amazonaws.com"},
		{"AttTableArn", "arn:aws:dynamodb:us-east-1:000000000000:table/" + table},
		{"AttTableStream", "arn:aws:dynamodb:us-east-1:000000000000:table/" + table + "/stream/1970-01-01T00:00:00.000"},
		{"AttFunctionArn", "arn:aws:lambda:us-east-1:000000000000:function:" + fn},
		{"AttMachineArn", "arn:aws:states:us-east-1:000000000000:stateMachine:" + machine},
		{"AttLogsArn", "arn:aws:logs:us-east-1:000000000000:log-group:" + logs + ":*"},
		{"AttRoleArn", "arn:aws:iam::000000000000:role/service/" + out["RefRole"]},
		{"AttGenericArn", "arn:aws:events:us-east-1:000000000000:eventbus/" + bus},
		{"AttNameFromRef", machine},
		{"Join", "arn:aws:states:::lambda:invoke"},
		{"JoinNumbers", "8080:1:true"},
		{"JoinNoValue", "a,b"},
		{"JoinListParam", "a+b+c"},
		{"SubString", "Intrinsics/dev/8080/" + table + "/arn:aws:lambda:us-east-1:000000000000:function:" + fn + "/us-east-1"},
		{"SubLiteral", "${Literal}-dev"},
		{"SubMap", "Hello, dev! (000000000000)"},
		{"SubMapOverrides", "shadowed"},
		{"SubNoVars", "plain text"},
		{"Select", "y"},
		{"SelectNumberIndex", "c"},
		{"SelectSplit", fn},
		{"SelectAZ", "us-east-1a"},
		{"SplitJoin", "a||b"},
		{"IfTrue", "dev-branch"},
		{"IfFalse", "else-branch"},
		{"IfNot", "yes"},
		{"IfOr", "yes"},
		{"IfAnd", "no"},
		{"IfAndThree", "yes"},
		{"IfNumberEquals", "yes"},
		{"IfRegion", "yes"},
		{"IfNoValueInJoin", "x-y"},
		{"FindInMap", "128"},
		{"FindInMapName", "large"},
		{"Base64", "aGkgZGV2"},
		{"Exported", "exported-value"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			got, ok := out[tt.key]
			if !ok {
				t.Fatalf("output %s missing", tt.key)
			}
			if got != tt.want {
				t.Errorf("output %s = %q, want %q", tt.key, got, tt.want)
			}
		})
	}
	if got, ok := out["ProdOnlyOutput"]; ok {
		t.Errorf("output ProdOnlyOutput (condition IsProd false) = %q, want it omitted", got)
	}
}

func TestGeneratedNames(t *testing.T) {
	s := parseFile(t, "testdata/intrinsics.template.json", "Intrinsics", Options{})
	out := outputMap(s)
	tests := []struct{ key, pattern string }{
		{"RefTable", `^Intrinsics-Table-[A-Z0-9]{12}$`},
		{"RefFunction", `^Intrinsics-Fn-[A-Z0-9]{12}$`},
		{"AttMachineName", `^Machine-[A-Z0-9]{12}$`},
		{"RefLogs", `^Intrinsics-Logs-[A-Z0-9]{12}$`},
		{"RefGeneric", `^Intrinsics-Bus-[A-Z0-9]{12}$`},
		{"RefRole", `^Intrinsics-Role-[A-Z0-9]{12}$`},
		{"AttPlainRoleArn", `^arn:aws:iam::000000000000:role/Intrinsics-PlainRole-[A-Z0-9]{12}$`},
	}
	for _, tt := range tests {
		if got := out[tt.key]; !regexp.MustCompile(tt.pattern).MatchString(got) {
			t.Errorf("output %s = %q, want a match for %s", tt.key, got, tt.pattern)
		}
	}
	again := outputMap(parseFile(t, "testdata/intrinsics.template.json", "Intrinsics", Options{}))
	if again["RefTable"] != out["RefTable"] || again["RefFunction"] != out["RefFunction"] {
		t.Errorf("names differ between two reads: %q/%q then %q/%q",
			out["RefTable"], out["RefFunction"], again["RefTable"], again["RefFunction"])
	}
	other := outputMap(parseFile(t, "testdata/intrinsics.template.json", "Other", Options{}))
	if other["RefTable"][len("Other-Table-"):] == out["RefTable"][len("Intrinsics-Table-"):] {
		t.Errorf("suffix of %q and %q is the same for different stacks", other["RefTable"], out["RefTable"])
	}
}

func TestOptionsChangeEnvironment(t *testing.T) {
	tests := []struct {
		opts                                  Options
		partition, region, account, urlSuffix string
	}{
		{Options{}, "aws", "us-east-1", "000000000000", "amazonaws.com"},
		{Options{Region: "eu-west-1", AccountID: "123456789012"}, "aws", "eu-west-1", "123456789012", "amazonaws.com"},
		{Options{Region: "cn-north-1"}, "aws-cn", "cn-north-1", "000000000000", "amazonaws.com.cn"},
		{Options{Region: "us-gov-west-1"}, "aws-us-gov", "us-gov-west-1", "000000000000", "amazonaws.com"},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			s := parseFile(t, "testdata/intrinsics.template.json", "Intrinsics", tt.opts)
			out := outputMap(s)
			want := map[string]string{
				"Partition":      tt.partition,
				"Region":         tt.region,
				"Account":        tt.account,
				"URLSuffix":      tt.urlSuffix,
				"AttFunctionArn": "arn:" + tt.partition + ":lambda:" + tt.region + ":" + tt.account + ":function:" + out["RefFunction"],
				"IfRegion":       map[bool]string{true: "yes", false: "no"}[tt.region == "us-east-1"],
			}
			for k, w := range want {
				if out[k] != w {
					t.Errorf("output %s = %q, want %q", k, out[k], w)
				}
			}
			if s.Region != tt.region || s.AccountID != tt.account {
				t.Errorf("stack region/account = %s/%s, want %s/%s", s.Region, s.AccountID, tt.region, tt.account)
			}
		})
	}
}

func TestNotEmulatedSkipsResourcesWhoseConditionIsFalse(t *testing.T) {
	s := parseFile(t, "testdata/intrinsics.template.json", "Intrinsics", Options{})
	want := []string{"AWS::Events::EventBus", "AWS::IAM::Role", "AWS::Logs::LogGroup"}
	if !slices.Equal(s.NotEmulated, want) {
		t.Errorf("NotEmulated = %q, want %q (the IsProd-only SQS queue is not created)", s.NotEmulated, want)
	}
}
