package sns

import "testing"

func TestFilterPolicy(t *testing.T) {
	str := func(v string) attribute { return attribute{DataType: "String", Value: v} }
	num := func(v string) attribute { return attribute{DataType: "Number", Value: v} }
	signer := func(a attribute) map[string]attribute { return map[string]attribute{"signer": a} }
	none := map[string]attribute{}
	tests := []struct {
		policy string
		attrs  map[string]attribute
		want   bool
	}{
		{`{"signer":["alice"]}`, signer(str("alice")), true},
		{`{"signer":["alice"]}`, signer(str("Alice")), false},
		{`{"signer":["alice"]}`, none, false},
		{`{"signer":["alice","bob"]}`, signer(str("bob")), true},
		{`{"signer":["alice"],"documentId":["d1"]}`, map[string]attribute{"signer": str("alice"), "documentId": str("d2")}, false},
		{`{"signer":["alice"],"documentId":["d1"]}`, map[string]attribute{"signer": str("alice"), "documentId": str("d1")}, true},
		{`{"signer":["alice"]}`, signer(attribute{DataType: "Binary", Value: "YWxpY2U="}), false},
		{`{"signer":["alice"]}`, signer(attribute{DataType: "String.Array", Value: `["bob","alice"]`}), true},
		{`{"signer":["alice"]}`, signer(attribute{DataType: "String.custom", Value: "alice"}), true},
		{`{"n":[5]}`, map[string]attribute{"n": num("5.0")}, true},
		{`{"n":[5]}`, map[string]attribute{"n": str("5")}, false},
		{`{"n":["5"]}`, map[string]attribute{"n": num("5")}, false},
		{`{"signer":[{"prefix":"al"}]}`, signer(str("alice")), true},
		{`{"signer":[{"prefix":"al"}]}`, signer(str("bob")), false},
		{`{"signer":[{"anything-but":"alice"}]}`, signer(str("bob")), true},
		{`{"signer":[{"anything-but":"alice"}]}`, signer(str("alice")), false},
		{`{"signer":[{"anything-but":"alice"}]}`, none, false},
		{`{"signer":[{"anything-but":["alice","bob"]}]}`, signer(str("carol")), true},
		{`{"signer":[{"anything-but":{"prefix":"a"}}]}`, signer(str("alice")), false},
		{`{"signer":[{"anything-but":{"prefix":"a"}}]}`, signer(str("bob")), true},
		{`{"n":[{"anything-but":[1,2]}]}`, map[string]attribute{"n": num("3")}, true},
		{`{"n":[{"anything-but":[1,2]}]}`, map[string]attribute{"n": num("2")}, false},
		{`{"signer":[{"exists":true}]}`, signer(str("x")), true},
		{`{"signer":[{"exists":false}]}`, none, true},
		{`{"signer":[{"exists":false}]}`, signer(str("x")), false},
		{`{"signer":["alice",{"exists":false}]}`, none, true},
	}
	for _, tc := range tests {
		f, err := parseFilterPolicy(tc.policy)
		if err != nil {
			t.Errorf("%s: %v", tc.policy, err)
			continue
		}
		if got := f.matches(tc.attrs); got != tc.want {
			t.Errorf("%s with %v: got %v, want %v", tc.policy, tc.attrs, got, tc.want)
		}
	}
}

// TestFilterPolicyRefused: what is not supported is refused, not matched
// differently than SNS would.
func TestFilterPolicyRefused(t *testing.T) {
	for _, policy := range []string{
		``, `[]`, `{}`, `"alice"`, `{"signer":"alice"}`, `{"signer":[]}`,
		`{"$or":[{"a":["x"]},{"b":["y"]}]}`, `{"price":[{"numeric":[">",0]}]}`,
		`{"signer":[{"suffix":"e"}]}`, `{"signer":[{"equals-ignore-case":"a"}]}`, `{"signer":[null]}`,
		`{"signer":[true]}`, `{"body":{"signer":["a"]}}`, `{"signer":[{"prefix":""}]}`,
		`{"signer":[{"prefix":"a","exists":true}]}`, `{"signer":[{"anything-but":{"exists":true}}]}`,
		`{"signer":["a"]} {}`,
	} {
		if _, err := parseFilterPolicy(policy); err == nil {
			t.Errorf("%s: accepted", policy)
		}
	}
}
