package event

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/hitl-go/docsign/internal/fault"
)

// schema maps the exact JSON names of a struct's fields to the schema of
// each field's value: nil for a value whose keys are not checked (not a
// struct, or one that decodes itself).
type schema map[string]schema

var unmarshaler = reflect.TypeFor[json.Unmarshaler]()

// schemaOf returns the schema of values of type t: its fields when t is a
// struct (or a pointer to one) that encoding/json decodes field by field,
// else nil.
func schemaOf(t reflect.Type) schema {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || reflect.PointerTo(t).Implements(unmarshaler) {
		return nil
	}
	fields := schema{}
	for f := range t.Fields() {
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
		fields[name] = schemaOf(f.Type)
	}
	return fields
}

// fieldNames is the schema of what v points to, or nil when v is not a
// pointer to a struct.
func fieldNames(v any) schema {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer {
		return nil
	}
	return schemaOf(t.Elem())
}

// checkKeys refuses a key given twice in any object of payload and a key
// that is not exactly one of the struct's names at any depth the schema
// covers. Malformed JSON passes: the decoder explains it better.
func checkKeys(payload []byte, names schema) error {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	err := walk(dec, names)
	if _, ok := err.(*fault.InvalidInput); ok {
		return err
	}
	return nil
}

// walk reads one JSON value from dec, checking the keys of its objects
// against names (nil: keys are not checked, duplicates still are).
func walk(dec *json.Decoder, names schema) error {
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
			case names != nil && !hasKey(names, k):
				return fault.Invalid("invalid input: unknown field %q (keys are exact and case-sensitive)", clip(k))
			}
			seen[k] = true
			if err := walk(dec, names[k]); err != nil {
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

func hasKey(s schema, k string) bool {
	_, ok := s[k]
	return ok
}
