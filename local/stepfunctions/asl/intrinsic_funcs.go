package asl

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"maps"
	"strings"
)

// function describes one intrinsic: its argument count (max -1: no limit)
// and implementation. Implementations return any error for invalid arguments;
// the caller turns it into AWS's "Invalid arguments in States.X".
type function struct {
	name     string
	min, max int
	impl     func(c *call, args []any) (any, error)
}

var errInvalid = errors.New("invalid arguments")

// maxStringChars is the limit on States.Base64Encode, Base64Decode and Hash
// input (developer guide: "a data string of up to 10,000 characters").
const maxStringChars = 10000

var functions = map[string]*function{}

func init() {
	for _, f := range []*function{
		{"States.Format", 1, -1, statesFormat},
		{"States.StringToJson", 1, 1, stringToJSON},
		{"States.JsonToString", 1, 1, func(_ *call, a []any) (any, error) { return compactJSON(a[0]), nil }},
		{"States.Array", 0, -1, func(_ *call, a []any) (any, error) { return append([]any{}, a...), nil }},
		{"States.ArrayPartition", 2, 2, arrayPartition},
		{"States.ArrayContains", 2, 2, arrayContains},
		{"States.ArrayRange", 3, 3, arrayRange},
		{"States.ArrayGetItem", 2, 2, arrayGetItem},
		{"States.ArrayLength", 1, 1, arrayLength},
		{"States.ArrayUnique", 1, 1, arrayUnique},
		{"States.Base64Encode", 1, 1, base64Encode},
		{"States.Base64Decode", 1, 1, base64Decode},
		{"States.Hash", 2, 2, hashString},
		{"States.JsonMerge", 3, 3, jsonMerge},
		{"States.MathRandom", 2, 3, mathRandom},
		{"States.MathAdd", 2, 2, mathAdd},
		{"States.StringSplit", 2, 2, stringSplit},
		{"States.UUID", 0, 0, func(*call, []any) (any, error) { return uuid4(), nil }},
	} {
		functions[f.name] = f
	}
}

// check validates a parsed call at load time: argument count, the Path that
// States.JsonToString requires, and a literal States.Format template.
func (f *function) check(c *call) error {
	n := len(c.args)
	if n < f.min || f.max >= 0 && n > f.max {
		want := fmt.Sprint(f.min)
		switch {
		case f.max < 0:
			want = "at least " + want
		case f.max != f.min:
			want = fmt.Sprintf("%d to %d", f.min, f.max)
		}
		return fmt.Errorf("%s takes %s argument(s), got %d", f.name, want, n)
	}
	switch f.name {
	case "States.JsonToString":
		if _, ok := c.args[0].(*pathArg); !ok {
			return fmt.Errorf("the argument of %s must be a Path", f.name)
		}
	case "States.Format":
		if lit, ok := c.args[0].(*literal); ok {
			if _, isString := lit.value.(string); !isString {
				return fmt.Errorf("the first argument of %s must be a string", f.name)
			}
			c.format = parseFormat(lit.raw)
		}
	}
	return nil
}

func statesFormat(c *call, args []any) (any, error) {
	parts := c.format
	if parts == nil {
		t, ok := args[0].(string)
		if !ok {
			return nil, errInvalid
		}
		parts = parseFormat(t)
	}
	if holes(parts) != len(args)-1 {
		return nil, &argError{msg: "Invalid arguments in States.Format: number of arguments do not match the occurrences of {}"}
	}
	var b strings.Builder
	next := 1
	for _, p := range parts {
		if !p.hole {
			b.WriteString(p.text)
			continue
		}
		b.WriteString(formatValue(args[next]))
		next++
	}
	return b.String(), nil
}

func stringToJSON(_ *call, a []any) (any, error) {
	s, ok := a[0].(string)
	if !ok {
		return nil, errInvalid
	}
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	return decodeJSON([]byte(s))
}

func base64Encode(_ *call, a []any) (any, error) {
	s, err := limitedString(a[0])
	if err != nil {
		return nil, err
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

func base64Decode(_ *call, a []any) (any, error) {
	s, err := limitedString(a[0])
	if err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

func limitedString(v any) (string, error) {
	s, ok := v.(string)
	if !ok || utf16Len(s) > maxStringChars {
		return "", errInvalid
	}
	return s, nil
}

var hashes = map[string]func() hash.Hash{
	"MD5": md5.New, "SHA-1": sha1.New, "SHA-256": sha256.New, "SHA-384": sha512.New384, "SHA-512": sha512.New,
}

func hashString(_ *call, a []any) (any, error) {
	s, err := limitedString(a[0])
	if err != nil {
		return nil, err
	}
	alg, _ := a[1].(string)
	newHash, ok := hashes[alg]
	if !ok {
		return nil, errInvalid
	}
	h := newHash()
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// jsonMerge is the shallow merge AWS supports: keys of the second object
// replace those of the first; the third argument must be false.
func jsonMerge(_ *call, a []any) (any, error) {
	left, ok1 := a[0].(map[string]any)
	right, ok2 := a[1].(map[string]any)
	deep, ok3 := a[2].(bool)
	if !ok1 || !ok2 || !ok3 || deep {
		return nil, errInvalid
	}
	out := maps.Clone(left)
	if out == nil {
		out = map[string]any{}
	}
	maps.Copy(out, right)
	return out, nil
}

// stringSplit splits on any of the delimiter's characters and drops empty
// pieces (developer guide example: "This.is+a,test=string" split by ".+,=").
func stringSplit(_ *call, a []any) (any, error) {
	s, ok1 := a[0].(string)
	delims, ok2 := a[1].(string)
	if !ok1 || !ok2 {
		return nil, errInvalid
	}
	out := []any{}
	for _, piece := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(delims, r) }) {
		out = append(out, piece)
	}
	return out, nil
}

func uuid4() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
