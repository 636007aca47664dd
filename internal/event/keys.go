package event

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/hitl-go/docsign/internal/fault"
)

// fieldNames returns the exact JSON names of the fields of the struct v
// points to, or nil when v is not a pointer to a struct.
func fieldNames(v any) map[string]bool {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return nil
	}
	names := map[string]bool{}
	for f := range t.Elem().Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		names[name] = true
	}
	return names
}

// checkKeys refuses a key given twice in any object of payload and, when
// names is not nil, a top-level key that is not exactly one of names.
// Malformed JSON passes: the decoder explains it better.
func checkKeys(payload []byte, names map[string]bool) error {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	err := walk(dec, names)
	if _, ok := err.(*fault.InvalidInput); ok {
		return err
	}
	return nil
}

// walk reads one JSON value from dec, checking the keys of its objects;
// names applies to this value's keys only.
func walk(dec *json.Decoder, names map[string]bool) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return err
			}
			k, _ := key.(string)
			switch {
			case seen[k]:
				return fault.Invalid("invalid input: key %q is given twice", clip(k))
			case names != nil && !names[k]:
				return fault.Invalid("invalid input: unknown field %q (keys are exact and case-sensitive)", clip(k))
			}
			seen[k] = true
			if err := walk(dec, nil); err != nil {
				return err
			}
		}
	case json.Delim('['):
		for dec.More() {
			if err := walk(dec, nil); err != nil {
				return err
			}
		}
	default:
		return nil
	}
	_, err = dec.Token() // the closing delimiter
	return err
}

// clip bounds a key quoted in a message.
func clip(s string) string {
	const max = 40
	if len(s) > max {
		return strings.ToValidUTF8(s[:max], "") + "…"
	}
	return s
}
