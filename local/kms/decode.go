package kms

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"unicode/utf8"

	"github.com/hitl-go/docsign/local/internal/apierror"
)

// members is a request body's top-level object. Member names are matched
// exactly, as AWS's deserializer does (Go's decoder would also take "keyid"
// for KeyId); unknown members are ignored, as AWS ignores them so older
// services accept newer clients.
type members map[string]json.RawMessage

// decodeMembers decodes a JSON 1.1 request body; an empty body or null is
// an empty request. A duplicate member keeps its last value.
func decodeMembers(body []byte) (members, *APIError) {
	if len(bytes.TrimSpace(body)) == 0 {
		return members{}, nil
	}
	// Go's decoder would turn invalid UTF-8 into U+FFFD; AWS refuses it.
	if !utf8.Valid(body) {
		return nil, apierror.New(codeSerialization, "Malformed request body: invalid UTF-8")
	}
	var m members
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&m); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return nil, apierror.New(codeSerialization, "Unexpected value type: the request body must be a JSON object, not %s", typeErr.Value)
		}
		return nil, apierror.New(codeSerialization, "Malformed request body: %s", err.Error())
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, apierror.New(codeSerialization, "Malformed request body: unexpected data after the JSON object")
	}
	if m == nil {
		m = members{}
	}
	return m, nil
}

// present reports whether name has a non-null value.
func (m members) present(name string) bool {
	raw, ok := m[name]
	return ok && string(raw) != "null"
}

// str decodes a string member; absent or null is nil.
func (m members) str(name string) (*string, *APIError) {
	if !m.present(name) {
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(m[name], &s); err != nil {
		return nil, typeError(name, "string")
	}
	return &s, nil
}

// blob decodes a base64 blob member (how the JSON protocols carry bytes);
// absent or null is nil, false.
func (m members) blob(name string) ([]byte, bool, *APIError) {
	s, err := m.str(name)
	if err != nil || s == nil {
		if err != nil {
			err = typeError(name, "blob (a base64 string)")
		}
		return nil, false, err
	}
	b, derr := base64.StdEncoding.Strict().DecodeString(*s)
	if derr != nil {
		return nil, false, apierror.New(codeSerialization, "Could not decode member '%s': invalid base64 (%v)", name, derr)
	}
	return b, true, nil
}

// strList decodes a list-of-strings member; absent or null is nil.
func (m members) strList(name string) ([]string, *APIError) {
	if !m.present(name) {
		return nil, nil
	}
	var list []*string
	if err := json.Unmarshal(m[name], &list); err != nil {
		return nil, typeError(name, "list of strings")
	}
	out := make([]string, 0, len(list))
	for _, s := range list {
		if s == nil {
			return nil, typeError(name, "list of strings (no null element)")
		}
		out = append(out, *s)
	}
	return out, nil
}

// boolean decodes a boolean member; absent or null is false.
func (m members) boolean(name string) (bool, *APIError) {
	if !m.present(name) {
		return false, nil
	}
	var b bool
	if err := json.Unmarshal(m[name], &b); err != nil {
		return false, typeError(name, "boolean")
	}
	return b, nil
}

func typeError(name, want string) *APIError {
	return apierror.New(codeSerialization, "Unexpected value type for member '%s': expected %s", name, want)
}
