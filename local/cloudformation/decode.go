package cloudformation

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
)

// properties resolves every intrinsic in a resource's Properties and decodes
// them into dst; it returns them resolved, and their path for errors.
func (r *resolver) properties(id string, dst any) (map[string]any, string, error) {
	path := "Resources." + id + ".Properties"
	v, err := r.resolve(r.t.resources[id].Properties, path)
	if err != nil {
		return nil, path, err
	}
	props := v.(map[string]any)
	return props, path, r.decode(props, dst, path)
}

// decode copies resolved properties into a struct whose fields are named
// like the CloudFormation properties. On failure it decodes the properties
// one by one to name the bad one in the error.
func (r *resolver) decode(props map[string]any, dst any, path string) error {
	err := decodeJSON(props, dst)
	if err == nil {
		return nil
	}
	for _, k := range slices.Sorted(maps.Keys(props)) {
		probe := reflect.New(reflect.TypeOf(dst).Elem()).Interface()
		if e := decodeJSON(map[string]any{k: props[k]}, probe); e != nil {
			return r.errorf(path+"."+k, ErrMalformed, "%v", e)
		}
	}
	return r.errorf(path, ErrMalformed, "%v", err)
}

func decodeJSON(v, dst any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, dst)
}

// marshalJSON encodes v without escaping <, > and & (ASL text keeps them).
func marshalJSON(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return string(bytes.TrimRight(b.Bytes(), "\n")), nil
}

// CloudFormation accepts "10" where a number is expected and "true" where a
// boolean is; these types decode both forms.
type (
	flexInt    int64
	flexFloat  float64
	flexBool   bool
	flexString string
)

func (f *flexInt) UnmarshalJSON(b []byte) error {
	n, err := strconv.ParseInt(string(unquote(b)), 10, 64)
	if err != nil {
		return fmt.Errorf("want an integer, got %s", b)
	}
	*f = flexInt(n)
	return nil
}

func (f *flexFloat) UnmarshalJSON(b []byte) error {
	n, err := strconv.ParseFloat(string(unquote(b)), 64)
	if err != nil {
		return fmt.Errorf("want a number, got %s", b)
	}
	*f = flexFloat(n)
	return nil
}

func (f *flexBool) UnmarshalJSON(b []byte) error {
	v, err := strconv.ParseBool(string(unquote(b)))
	if err != nil {
		return fmt.Errorf("want a boolean, got %s", b)
	}
	*f = flexBool(v)
	return nil
}

func (f *flexString) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch t := v.(type) {
	case string:
		*f = flexString(t)
	case float64, bool:
		*f = flexString(b)
	default:
		return fmt.Errorf("want a string, got %s", b)
	}
	return nil
}

func unquote(b []byte) []byte {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		return b[1 : len(b)-1]
	}
	return b
}

func intOr(f *flexInt, def int) int {
	if f == nil {
		return def
	}
	return int(*f)
}

func stringMap(m map[string]flexString) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}
