package cloudformation

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestLoadAssembly(t *testing.T) {
	a, err := Load("testdata/assembly", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names, artifacts, files []string
	for _, s := range a.Stacks {
		names = append(names, s.Name)
		artifacts = append(artifacts, s.ArtifactID)
		files = append(files, s.TemplateFile)
	}
	wantNames := []string{"producer-stack", "Consumer", "Stage-Inner"} // dependencies first
	wantArtifacts := []string{"Producer", "Consumer", "StageInner"}
	wantFiles := []string{
		filepath.Join("testdata", "assembly", "Producer.template.json"),
		filepath.Join("testdata", "assembly", "Consumer.template.json"),
		filepath.Join("testdata", "assembly", "assembly-Stage", "StageInner.template.json"),
	}
	if !reflect.DeepEqual(names, wantNames) || !reflect.DeepEqual(artifacts, wantArtifacts) || !reflect.DeepEqual(files, wantFiles) {
		t.Fatalf("stacks %q (artifacts %q, files %q), want %q, %q, %q", names, artifacts, files, wantNames, wantArtifacts, wantFiles)
	}
	table := a.Stacks[0].Tables[0].Name
	wantOutputs := map[string]map[string]string{
		"producer-stack": {"TableName": table, "ExportsOutputRefTable": table},
		"Consumer":       {"ImportedTable": table, "Stage": "prod"}, // the manifest's parameter beats the Default
		"Stage-Inner":    {"MachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:inner"},
	}
	if got := a.Outputs(); !reflect.DeepEqual(got, wantOutputs) {
		t.Errorf("Outputs() = %v, want %v", got, wantOutputs)
	}
	if got, want := a.NotEmulated(), []string{"AWS::IAM::Role", "AWS::SQS::Queue"}; !reflect.DeepEqual(got, want) {
		t.Errorf("NotEmulated() = %q, want %q", got, want)
	}
	if got, want := a.Stacks[0].Functions[0].AssetPath, filepath.Join("testdata", "assembly", "asset.abc123"); got != want {
		t.Errorf("AssetPath = %q, want %q", got, want)
	}

	file := filepath.Join(t.TempDir(), "cdk-outputs.local.json")
	if err := a.WriteOutputsFile(file); err != nil {
		t.Fatal(err)
	}
	var written map[string]map[string]string
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &written); err != nil || !reflect.DeepEqual(written, wantOutputs) {
		t.Errorf("outputs file = %s (%v), want %v", data, err, wantOutputs)
	}
}

func TestLoadEmptyAssembly(t *testing.T) {
	a, err := Load("testdata/empty-assembly", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Stacks) != 0 || len(a.Outputs()) != 0 || len(a.NotEmulated()) != 0 {
		t.Errorf("got %d stacks, outputs %v, not emulated %q; want none", len(a.Stacks), a.Outputs(), a.NotEmulated())
	}
	file := filepath.Join(t.TempDir(), "out.json")
	if err := a.WriteOutputsFile(file); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(file); string(data) != "{}\n" {
		t.Errorf("outputs file = %q, want {}", data)
	}
}

func TestLoadErrors(t *testing.T) {
	stack := func(id, deps string) string {
		return `"` + id + `":{"type":"aws:cloudformation:stack","properties":{"templateFile":"` + id + `.template.json"},"dependencies":[` + deps + `]}`
	}
	tests := []struct {
		name     string
		manifest string // "" = no manifest.json
		cause    error
		path     string
	}{
		{"no manifest", "", ErrNoAssembly, ""},
		{"manifest not JSON", `{`, ErrMalformed, ""},
		{"dependency cycle", `{"artifacts":{` + stack("A", `"B"`) + `,` + stack("B", `"A"`) + `}}`, ErrCycle, "artifacts"},
		{"template missing", `{"artifacts":{` + stack("A", "") + `}}`, os.ErrNotExist, "artifacts.A.properties.templateFile"},
		{"templateFile missing", `{"artifacts":{"A":{"type":"aws:cloudformation:stack","properties":{}}}}`, ErrMalformed, "artifacts.A.properties.templateFile"},
		{"properties malformed", `{"artifacts":{"A":{"type":"aws:cloudformation:stack","properties":{"templateFile":1}}}}`, ErrMalformed, "artifacts.A.properties"},
		{"nested without directory", `{"artifacts":{"N":{"type":"cdk:cloud-assembly","properties":{}}}}`, ErrMalformed, "artifacts.N.properties.directoryName"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.manifest != "" {
				if err := os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(tt.manifest), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Load(dir, Options{})
			if !errors.Is(err, tt.cause) {
				t.Fatalf("error = %v, want one wrapping %q", err, tt.cause)
			}
			var te *TemplateError
			if !errors.As(err, &te) || te.File != filepath.Join(dir, "manifest.json") || te.Path != tt.path {
				t.Errorf("error = %#v, want a *TemplateError in %s at %q", err, filepath.Join(dir, "manifest.json"), tt.path)
			}
		})
	}
}

func TestLoadReportsTheTemplateFile(t *testing.T) {
	dir := t.TempDir()
	manifest := `{"artifacts":{"S":{"type":"aws:cloudformation:stack","properties":{"templateFile":"S.template.json"}}}}`
	template := `{"Outputs":{"O":{"Value":{"Ref":"Gone"}}}}`
	for name, body := range map[string]string{"manifest.json": manifest, "S.template.json": template} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Load(dir, Options{})
	var te *TemplateError
	if !errors.As(err, &te) || te.File != filepath.Join(dir, "S.template.json") || te.Path != "Outputs.O.Value.Ref" {
		t.Errorf("error = %v, want one in S.template.json at Outputs.O.Value.Ref", err)
	}
}
