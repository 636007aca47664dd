package flowchart

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

func readDef(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMermaidText(t *testing.T) {
	tests := []struct {
		name string
		def  string
		want string
	}{
		{
			name: "pass then succeed",
			def:  `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"}}}`,
			want: `flowchart TD
  n_start(("Start"))
  n1("A<br/>Pass")
  n2(["B<br/>Succeed"])
  n_finish(("End"))
  n_start --> n1
  n1 --> n2
  n2 --> n_finish
`,
		},
		{
			name: "signing: parallel lanes entered and left through their states, a labelled catch from the box",
			def:  string(readDef(t, "signing.asl.json")),
			want: `flowchart TD
  n_start(("Start"))
  subgraph n1["Collect signatures (Parallel)"]
    subgraph n1_b1["Alice signs"]
      n4("Alice signs<br/>lambda:invoke")
    end
    subgraph n1_b2["Wait for Bob"]
      n5("Wait for Bob<br/>lambda:invoke.waitForTaskToken")
    end
  end
  n2(["Signed<br/>Succeed"])
  n3(["Declined<br/>Fail"])
  n_finish(("End"))
  n_start --> n4
  n_start --> n5
  n4 --> n2
  n5 --> n2
  n1 -.->|"SignatureDeclined"| n3
  n3 --> n_finish
  n2 --> n_finish
`,
		},
		{
			name: "boxes as choice targets fan out to every lane; lanes ending in Fail leave from the box",
			def:  string(readDef(t, "fanout.asl.json")),
			want: `flowchart TD
  n_start(("Start"))
  n1{"Pick<br/>Choice"}
  subgraph n2["P (Parallel)"]
    subgraph n2_b1["A"]
      n5{"A<br/>Choice"}
      n6(["A ok<br/>Succeed"])
      n7(["A bad<br/>Fail"])
    end
    subgraph n2_b2["Inner"]
      subgraph n8["Inner (Parallel)"]
        subgraph n8_b1["B"]
          n9("B<br/>Pass")
        end
      end
    end
  end
  subgraph n3["Q (Parallel)"]
    subgraph n3_b1["F"]
      n10(["F<br/>Fail"])
    end
  end
  n4(["Done<br/>Succeed"])
  n_finish(("End"))
  n_start --> n1
  n5 -->|"$.ok == true"| n6
  n5 -->|"Default"| n7
  n1 -->|"$.x is present"| n5
  n1 -->|"$.x is present"| n9
  n1 -->|"Default"| n10
  n3 --> n4
  n6 --> n_finish
  n9 --> n_finish
  n4 --> n_finish
`,
		},
		{
			name: "choice rules, default and a loop",
			def: `{"StartAt":"Check","States":{
				"Check":{"Type":"Choice","Choices":[
					{"Variable":"$.status","StringEquals":"SIGNED","Next":"Done"},
					{"And":[{"Variable":"$.n","NumericGreaterThanPath":"$.max"},{"Variable":"$.x","IsNull":false}],"Next":"Wait"}],
					"Default":"Wait"},
				"Wait":{"Type":"Wait","Seconds":5,"Next":"Check"},
				"Done":{"Type":"Succeed"}}}`,
			want: `flowchart TD
  n_start(("Start"))
  n1{"Check<br/>Choice"}
  n2(["Done<br/>Succeed"])
  n3("Wait<br/>Wait 5 s")
  n_finish(("End"))
  n_start --> n1
  n1 -->|"$.status == #34;SIGNED#34;"| n2
  n1 -->|"($.n #62; $.max and $.x is not null)"| n3
  n1 -->|"Default"| n3
  n3 --> n1
  n2 --> n_finish
`,
		},
		{
			name: "inline map as a box, edges to and from its item processor",
			def: `{"StartAt":"Each","States":{"Each":{"Type":"Map","ItemProcessor":{"StartAt":"Do","States":{
				"Do":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},"End":true}}}`,
			want: `flowchart TD
  n_start(("Start"))
  subgraph n1["Each (Map)"]
    n2("Do<br/>lambda:invoke")
  end
  n_finish(("End"))
  n_start --> n2
  n2 --> n_finish
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chart, err := Mermaid([]byte(tt.def))
			if err != nil {
				t.Fatalf("Mermaid: %v", err)
			}
			if chart.Text != tt.want {
				t.Errorf("got\n%s\nwant\n%s", chart.Text, tt.want)
			}
		})
	}
}

func TestMermaidNodeIDsAndStates(t *testing.T) {
	chart, err := Mermaid(readDef(t, "nested.asl.json"))
	if err != nil {
		t.Fatal(err)
	}
	wantIDs := map[string]string{
		"For each document":                    "n1",
		"Distributed":                          "n2",
		"For each document/Sign":               "n3",
		"For each document/Sign/branch 1":      "n3_b1",
		"For each document/Sign/branch 1/Sign": "n4",
		"For each document/Sign/branch 2":      "n3_b2",
		"For each document/Sign/branch 2/Sign": "n5",
		"Distributed/Archive":                  "n6",
	}
	if !reflect.DeepEqual(chart.NodeIDs, wantIDs) {
		t.Errorf("NodeIDs\ngot  %v\nwant %v", chart.NodeIDs, wantIDs)
	}
	byPath := map[string]State{}
	for _, s := range chart.States {
		byPath[s.Path] = s
	}
	wantStates := []State{
		{Path: "For each document/Sign/branch 2/Sign", ID: "n5", Name: "Sign", Type: "Task",
			Kind: "lambda:invoke.waitForTaskToken", Parent: "For each document/Sign", Branch: 2},
		{Path: "For each document/Sign/branch 1/Sign", ID: "n4", Name: "Sign", Type: "Task",
			Kind: "function:SignDocument", Parent: "For each document/Sign", Branch: 1},
		{Path: "Distributed", ID: "n2", Name: "Distributed", Type: "Map", Kind: "Map (distributed)"},
		{Path: "Distributed/Archive", ID: "n6", Name: "Archive", Type: "Task", Kind: "aws-sdk:s3:putObject", Parent: "Distributed"},
	}
	for _, want := range wantStates {
		if got := byPath[want.Path]; !reflect.DeepEqual(got, want) {
			t.Errorf("state %q\ngot  %+v\nwant %+v", want.Path, got, want)
		}
	}
	if len(chart.States) != len(wantIDs)-2 { // lanes are not states
		t.Errorf("got %d states, want %d", len(chart.States), len(wantIDs)-2)
	}
	for _, lane := range []string{`subgraph n3_b1["Alice (auto)"]`, `subgraph n3_b2["Bob (callback)"]`} {
		if !strings.Contains(chart.Text, lane) {
			t.Errorf("text lacks lane %s:\n%s", lane, chart.Text)
		}
	}
}

// TestMermaidLaneTitles checks each Parallel lane is titled after its branch
// (one lane per signer), not numbered, and that titles are escaped.
func TestMermaidLaneTitles(t *testing.T) {
	const pass = `{"Type":"Pass","End":true}`
	tests := []struct {
		name   string
		branch string
		want   string
	}{
		{"first state's name", `{"StartAt":"Sign as Alice","States":{"Sign as Alice":` + pass + `}}`, `subgraph n1_b1["Sign as Alice"]`},
		{"comment before the first state", `{"Comment":"Bob (callback)","StartAt":"Wait for Bob to sign","States":{"Wait for Bob to sign":` + pass + `}}`, `subgraph n1_b1["Bob (callback)"]`},
		{"escaped like a state name", `{"StartAt":"end \"x\" #1","States":{"end \"x\" #1":` + pass + `}}`, `subgraph n1_b1["end #34;x#34; #35;1"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chart, err := Mermaid([]byte(`{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[` + tt.branch + `]}}}`))
			if err != nil {
				t.Fatalf("Mermaid: %v", err)
			}
			var got string
			for _, line := range strings.Split(chart.Text, "\n") {
				if strings.Contains(line, "n1_b1") {
					got = strings.TrimSpace(line)
					break
				}
			}
			if got != tt.want {
				t.Errorf("lane line = %q, want %q\n%s", got, tt.want, chart.Text)
			}
		})
	}
}

func TestLaneTitleFallback(t *testing.T) {
	tests := []struct {
		name string
		m    *machine
		i    int
		want string
	}{
		{"comment", &machine{Comment: "Alice (auto)", StartAt: "Sign"}, 0, "Alice (auto)"},
		{"start state", &machine{StartAt: "Wait for Bob to sign"}, 1, "Wait for Bob to sign"},
		{"neither", &machine{}, 2, "Branch 3"},
		{"no branch", nil, 0, "Branch 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := laneTitle(tt.m, tt.i); got != tt.want {
				t.Errorf("laneTitle = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMermaidNastyNames(t *testing.T) {
	chart, err := Mermaid(readDef(t, "nasty.asl.json"))
	if err != nil {
		t.Fatal(err)
	}
	wantIDs := map[string]string{
		"Say \"hi\" #1; <b>bold<~1b> & `code`": "n1",
		"end":                                  "n2",
		"a~1b ~0 c: 100% %% {x} [y] |z|":       "n3",
		"subgraph/branch 1/Wait":               "n8",
		"subgraph/branch 2/Wait":               "n10",
		"style: #fff;":                         "n6",
		"Über straße 名前 😀/click":               "n12",
	}
	for path, id := range wantIDs {
		if got := chart.NodeIDs[path]; got != id {
			t.Errorf("NodeIDs[%q] = %q, want %q", path, got, id)
		}
	}
	for _, want := range []string{
		`n1("Say #34;hi#34; #35;1#59; #60;b#62;bold#60;/b#62; #38; #96;code#96;<br/>Pass")`,
		`n2("end<br/>Wait 5 s")`,
		`n6(["style#58; #35;fff#59;<br/>Fail"])`,
		`subgraph n5["Über straße 名前 #128512; (Map)"]`,
		`n12("click<br/>function#58;Item#34;Fn")`,
		`n4 -.->|"States.Timeout, My#58;Error#60;1#62;"| n6`,
		`n6(["style#58; #35;fff#59;<br/>Fail"])`,
	} {
		if !strings.Contains(chart.Text, want) {
			t.Errorf("text lacks %s\n%s", want, chart.Text)
		}
	}
	var catch []string
	for _, s := range chart.States {
		if s.Path == "subgraph" {
			catch = s.Catch
		}
	}
	if want := []string{"style: #fff;"}; !reflect.DeepEqual(catch, want) {
		t.Errorf("subgraph Catch = %q, want %q", catch, want)
	}
}

// TestMermaidDeterministic checks the text does not depend on map iteration
// or on the order of keys in the definition.
func TestMermaidDeterministic(t *testing.T) {
	a := `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"C"},"C":{"Type":"Succeed"},"Z":{"Type":"Pass","End":true},"Y":{"Type":"Fail"}}}`
	b := `{"States":{"Y":{"Type":"Fail"},"Z":{"End":true,"Type":"Pass"},"C":{"Type":"Succeed"},"B":{"Next":"C","Type":"Pass"},"A":{"Next":"B","Type":"Pass"}},"StartAt":"A"}`
	first, err := Mermaid([]byte(a))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		got, err := Mermaid([]byte(b))
		if err != nil {
			t.Fatal(err)
		}
		if got.Text != first.Text {
			t.Fatalf("run %d differs:\n%s\nwant\n%s", i, got.Text, first.Text)
		}
	}
	// Unreachable states come last, sorted by name.
	if !strings.Contains(first.Text, `n4(["Y<br/>Fail"])`+"\n"+`  n5("Z<br/>Pass")`) {
		t.Errorf("unreachable Y, Z are not n4, n5:\n%s", first.Text)
	}
}

func TestMermaidErrors(t *testing.T) {
	tests := []struct {
		name, def, wantPath, wantReason string
	}{
		{"not json", `{"StartAt":`, "", "not valid JSON"},
		{"no states", `{"StartAt":"A","States":{}}`, "", "States is empty"},
		{"no start", `{"States":{"A":{"Type":"Succeed"}}}`, "", "StartAt is missing"},
		{"unknown start", `{"StartAt":"B","States":{"A":{"Type":"Succeed"}}}`, "", `unknown state "B"`},
		{"no type", `{"StartAt":"A","States":{"A":{"End":true}}}`, "A", "Type is missing"},
		{"unknown next", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}`, "A", `unknown state "B"`},
		{"unknown catch", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"x","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Gone"}]}}}`, "A", `unknown state "Gone"`},
		{"choice without next", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true}]}}}`, "A", "Choices[0] has no Next"},
		{"parallel without branches", `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true}}}`, "P", "no Branches"},
		{"map without processor", `{"StartAt":"M","States":{"M":{"Type":"Map","End":true}}}`, "M", "no ItemProcessor"},
		{"bad branch", `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","Next":"Y"}}}]}}}`, "P/branch 1/X", `unknown state "Y"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Mermaid([]byte(tt.def))
			var de *DefinitionError
			if !errors.As(err, &de) {
				t.Fatalf("got error %v, want *DefinitionError", err)
			}
			if de.Path != tt.wantPath || !strings.Contains(de.Reason, tt.wantReason) {
				t.Errorf("got path %q reason %q, want path %q reason containing %q", de.Path, de.Reason, tt.wantPath, tt.wantReason)
			}
		})
	}
}
