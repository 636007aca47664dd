package cloudformation

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzParseTemplate checks that any input either resolves — deterministically,
// with JSON state machine definitions — or fails with a *TemplateError naming
// the file; it must never panic or hang.
func FuzzParseTemplate(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.template.json")
	more, _ := filepath.Glob("testdata/*/*.template.json")
	for _, file := range append(files, more...) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, seed := range []string{
		fn(`{"Fn::Sub":["${A}-${!B}-${AWS::Region}",{"A":{"Fn::Select":[0,{"Fn::Split":[",","x,y"]}]}}]}`),
		out(`{"Fn::If":["C",{"Fn::Join":["-",[{"Ref":"R"},{"Fn::GetAtt":["R","Arn"]}]]},{"Ref":"AWS::NoValue"}]}`),
		`{"Conditions":{"A":{"Fn::And":[{"Condition":"B"},{"Fn::Or":[{"Fn::Equals":[1,"1"]},{"Fn::Not":[{"Condition":"B"}]}]}]},"B":{"Fn::Equals":[{"Ref":"AWS::Region"},"us-east-1"]}},"Outputs":{"O":{"Condition":"A","Value":{"Fn::Base64":"x"}}}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseTemplate("fuzz.json", data, "Fuzz", Options{})
		if err != nil {
			var te *TemplateError
			if !errors.As(err, &te) || te.File != "fuzz.json" {
				t.Fatalf("error %v (%T) is not a *TemplateError for fuzz.json", err, err)
			}
			return
		}
		for _, sm := range s.StateMachines {
			if !json.Valid([]byte(sm.Definition)) {
				t.Fatalf("state machine %s definition is not JSON: %q", sm.LogicalID, sm.Definition)
			}
		}
		again, err := ParseTemplate("fuzz.json", data, "Fuzz", Options{})
		if err != nil || !reflect.DeepEqual(s, again) {
			t.Fatalf("second parse differs: %v\n%+v\n%+v", err, s, again)
		}
	})
}
