package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/hitl-go/docsign/constructs/guard"
)

// satisfiedControls are the AWS Control Tower controls this app meets rather
// than suppresses (see cdk.go and the constructs): each must pass.
var satisfiedControls = []string{
	"cloudwatch_log_group_retention_period_check",             // CT.CLOUDWATCH.PR.2: a year
	"dynamodb_table_encrypted_kms_check",                      // CT.DYNAMODB.PR.2: the AWS managed key
	"dynamodb_table_pitr_enabled_check",                       // CT.DYNAMODB.PR.1
	"iam_inline_policy_no_statements_with_admin_access_check", // CT.IAM.PR.1
	"iam_inline_policy_no_statements_with_full_access_check",  // CT.IAM.PR.5
	"step_functions_state_machine_logging_enabled_check",      // CT.STEPFUNCTIONS.PR.1
	"step_functions_state_machine_tracing_enabled_check",      // CT.STEPFUNCTIONS.PR.2
}

// TestControlTowerProactiveControls runs the AWS Control Tower proactive
// controls (cfn-guard rules) on the templates: no rule may fail on a resource
// unless its guard Metadata suppresses the rule with a reason, and no
// suppression may outlive the failure it answers.
func TestControlTowerProactiveControls(t *testing.T) {
	bin, rules := controlTowerRules(t)
	for _, name := range []string{"default", "three"} {
		t.Run(name, func(t *testing.T) {
			f := synth(t, name)
			report := runGuard(t, bin, rules, writeTemplate(t, f))
			suppressed := f.guardSuppressions(t)
			for _, finding := range sortedFindings(report.failures) {
				if reason, ok := suppressed[finding]; ok {
					t.Logf("suppressed %s on %s: %s", finding.rule, finding.resource, reason)
					continue
				}
				t.Errorf("%s fails on %s (%s): %s",
					finding.rule, finding.resource, f.cdkPath(finding.resource), report.failures[finding])
			}
			for _, finding := range sortedFindings(suppressed) {
				if _, failed := report.failures[finding]; !failed {
					t.Errorf("%s suppresses %s, which does not fail there: drop the suppression",
						finding.resource, finding.rule)
				}
			}
			for _, rule := range satisfiedControls {
				if !slices.Contains(report.compliant, rule) {
					t.Errorf("%s is not among the passing rules %v", rule, report.compliant)
				}
			}
		})
	}
}

// controlTowerRules returns the cfn-guard binary and the Control Tower rules
// that npm @cdklabs/cdk-validator-cfnguard ships.
func controlTowerRules(t *testing.T) (bin, rules string) {
	t.Helper()
	pkg := filepath.Join(repoRoot(t), "node_modules", "@cdklabs", "cdk-validator-cfnguard")
	platform := map[string]string{"linux": "ubuntu", "darwin": "macos"}[runtime.GOOS]
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[runtime.GOARCH]
	bin = tool(t, filepath.Join(pkg, "bin", platform, arch, "cfn-guard"))
	rules = filepath.Join(pkg, "rules", "control-tower", "cfn-guard")
	if _, err := os.Stat(rules); err != nil {
		t.Fatalf("Control Tower rules: %v", err)
	}
	return bin, rules
}

// guardFinding is one rule failing on one resource (a logical ID; "" when
// the failure names none).
type guardFinding struct{ rule, resource string }

// guardReport is what cfn-guard found in a template.
type guardReport struct {
	failures  map[guardFinding]string // the control's description, e.g. "[CT.LAMBDA.PR.3]: Require …"
	compliant []string                // rules that passed
}

// runGuard validates the template file against the rules directory.
func runGuard(t *testing.T, bin, rules, file string) guardReport {
	t.Helper()
	out, err := exec.Command(bin, "validate", "--rules", rules, "--data", file,
		"--output-format", "json", "--show-summary", "none", "--structured").Output()
	// cfn-guard exits 19 when a rule fails (5 in older releases).
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && (exit.ExitCode() == 19 || exit.ExitCode() == 5)) {
		t.Fatalf("cfn-guard: %v %s", err, exitStderr(exit))
	}
	var results []struct {
		Status       string           `json:"status"`
		NotCompliant []map[string]any `json:"not_compliant"`
		Compliant    []string         `json:"compliant"`
	}
	if err := json.Unmarshal(out, &results); err != nil || len(results) != 1 {
		t.Fatalf("cfn-guard output: want one result (%v): %.2000s", err, out)
	}
	report := guardReport{failures: map[guardFinding]string{}, compliant: results[0].Compliant}
	for _, check := range results[0].NotCompliant {
		for _, c := range check { // {"Rule": {"name": …, "checks": […]}}
			rule, _ := c.(map[string]any)["name"].(string)
			ids, control := map[string]bool{}, ""
			walkGuardChecks(c, ids, &control)
			if rule == "" || control == "" {
				t.Fatalf("cfn-guard: a failing check without a rule name or control: %s", mustJSON(c))
			}
			if len(ids) == 0 {
				ids[""] = true
			}
			for id := range ids {
				report.failures[guardFinding{rule, id}] = control
			}
		}
	}
	if results[0].Status == "FAIL" && len(report.failures) == 0 {
		t.Fatalf("cfn-guard says FAIL, but no failing rule was read from: %.2000s", out)
	}
	return report
}

// walkGuardChecks collects, from a failing rule's checks, the logical IDs
// in their /Resources/<id>/… paths and the control's description.
func walkGuardChecks(v any, ids map[string]bool, control *string) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			s, _ := x.(string)
			switch {
			case k == "path" && strings.HasPrefix(s, "/Resources/"):
				ids[strings.Split(s, "/")[2]] = true
			case k == "custom_message" && strings.Contains(s, "[CT."):
				*control, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
			default:
				walkGuardChecks(x, ids, control)
			}
		}
	case []any:
		for _, x := range v {
			walkGuardChecks(x, ids, control)
		}
	}
}

// guardSuppressions returns the rules each resource's guard Metadata
// suppresses, with their reasons; a rule without a reason is an error.
func (f *fixture) guardSuppressions(t *testing.T) map[guardFinding]string {
	t.Helper()
	out := map[guardFinding]string{}
	for id, r := range f.template["Resources"].(map[string]any) {
		metadata, _ := r.(map[string]any)["Metadata"].(map[string]any)
		v, ok := metadata[guard.MetadataKey]
		if !ok {
			continue
		}
		var md guard.Metadata
		if err := json.Unmarshal([]byte(mustJSON(v)), &md); err != nil {
			t.Fatalf("%s: Metadata %s: %v", id, guard.MetadataKey, err)
		}
		for _, rule := range md.SuppressedRules {
			if strings.TrimSpace(md.SuppressionReasons[rule]) == "" {
				t.Errorf("%s suppresses %s without a reason", id, rule)
			}
			out[guardFinding{rule, id}] = md.SuppressionReasons[rule]
		}
		for rule := range md.SuppressionReasons {
			if !slices.Contains(md.SuppressedRules, rule) {
				t.Errorf("%s gives a reason for %s but does not suppress it", id, rule)
			}
		}
	}
	return out
}

// cdkPath returns the construct path of the resource with logical ID id.
func (f *fixture) cdkPath(id string) string {
	r, _ := f.template["Resources"].(map[string]any)[id].(map[string]any)
	md, _ := r["Metadata"].(map[string]any)
	path, _ := md["aws:cdk:path"].(string)
	return path
}

func sortedFindings[V any](m map[guardFinding]V) []guardFinding {
	return slices.SortedFunc(maps.Keys(m), func(a, b guardFinding) int {
		return cmp.Or(cmp.Compare(a.rule, b.rule), cmp.Compare(a.resource, b.resource))
	})
}
