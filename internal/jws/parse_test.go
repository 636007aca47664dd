package jws

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
)

func enc(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestParse(t *testing.T) {
	key := newTestKey(t)
	compact, err := Sign(context.Background(), keySigner(key), Header{KeyID: testKID}, []byte(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := Parse(compact)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(compact, ".")
	if tok.Header != (Header{Alg: "ES256", KeyID: testKID}) || string(tok.Payload) != `{"a":1}` ||
		string(tok.SigningInput) != parts[0]+"."+parts[1] || len(tok.Signature) != 64 {
		t.Errorf("Parse: %+v", tok)
	}
	// Member order and whitespace are the signer's choice.
	other := enc(` { "kid" : "k" , "alg" : "ES256" } `) + "." + parts[1] + "." + parts[2]
	if tok, err := Parse(other); err != nil || tok.Header.KeyID != "k" {
		t.Errorf("Parse(reordered header): %+v, %v", tok, err)
	}
}

func TestParseRefuses(t *testing.T) {
	key := newTestKey(t)
	compact, err := Sign(context.Background(), keySigner(key), Header{KeyID: testKID}, []byte(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(compact, ".")
	h, p, s := parts[0], parts[1], parts[2]
	withHeader := func(json string) string { return enc(json) + "." + p + "." + s }
	sig := func(b []byte) string { return h + "." + p + "." + base64.RawURLEncoding.EncodeToString(b) }
	order := p256Order.FillBytes(make([]byte, 32))
	one := append(make([]byte, 31), 1)
	tests := []struct {
		name, compact, want string
	}{
		{"empty", "", "1 parts"},
		{"two parts", h + "." + p, "2 parts"},
		{"four parts", compact + "." + s, "4 parts"},
		{"detached payload is still three parts but empty header", "." + p + "." + s, "not a JSON object"},
		{"over the size limit", h + "." + strings.Repeat("A", MaxCompactSize) + "." + s, "limit"},
		{"header over its limit", enc(`{"alg":"ES256","kid":"`+strings.Repeat("k", MaxHeaderSize)+`"}`) + "." + p + "." + s, "header over"},
		{"padded header", h + "=." + p + "." + s, "header is not unpadded base64url"},
		{"padded signature", compact + "==", "signature is not unpadded base64url"},
		{"standard base64 alphabet", strings.NewReplacer("-", "+", "_", "/").Replace(h) + "+." + p + "." + s, "base64url"},
		{"space in the payload", h + "." + p[:2] + " " + p[2:] + "." + s, "payload is not unpadded base64url"},
		{"newline in the signature", h + "." + p + "." + s[:10] + "\n" + s[10:], "signature is not unpadded base64url"},
		{"non-canonical last character", h + "." + enc("{}")[:2] + "B." + s, "payload is not unpadded base64url"},
		{"header not JSON", withHeader(`alg=ES256`), "not a JSON object"},
		{"header an array", withHeader(`["ES256"]`), "not a JSON object"},
		{"header JSON null", withHeader(`null`), "not a JSON object"},
		{"alg none", withHeader(`{"alg":"none","kid":"k"}`), `alg "none"`},
		{"alg HS256", withHeader(`{"alg":"HS256","kid":"k"}`), `alg "HS256"`},
		{"alg in lower case", withHeader(`{"alg":"es256","kid":"k"}`), `alg "es256"`},
		{"alg missing", withHeader(`{"kid":"k"}`), `alg ""`},
		{"alg a number", withHeader(`{"alg":256,"kid":"k"}`), "not a string"},
		{"kid missing", withHeader(`{"alg":"ES256"}`), "no kid"},
		{"kid empty", withHeader(`{"alg":"ES256","kid":""}`), "no kid"},
		{"kid null", withHeader(`{"alg":"ES256","kid":null}`), "not a string"},
		{"duplicate alg", withHeader(`{"alg":"ES256","alg":"none","kid":"k"}`), "twice"},
		{"duplicate kid", withHeader(`{"alg":"ES256","kid":"a","kid":"b"}`), "twice"},
		{"unknown member", withHeader(`{"alg":"ES256","kid":"k","typ":"JWT"}`), `"typ" is not allowed`},
		{"crit", withHeader(`{"alg":"ES256","kid":"k","crit":["exp"]}`), `"crit" is not allowed`},
		{"jwk", withHeader(`{"alg":"ES256","kid":"k","jwk":{}}`), `"jwk" is not allowed`},
		{"wrong-case member", withHeader(`{"ALG":"ES256","kid":"k"}`), `"ALG" is not allowed`},
		{"trailing data after the header", withHeader(`{"alg":"ES256","kid":"k"}{}`), "data after"},
		{"unterminated header", withHeader(`{"alg":"ES256","kid":"k"`), "malformed"},
		{"header not UTF-8", withHeader("{\"alg\":\"ES256\",\"kid\":\"\xff\"}"), "not UTF-8"},
		{"signature of 63 bytes", sig(make([]byte, 63)), "63 bytes"},
		{"signature of 65 bytes", sig(make([]byte, 65)), "65 bytes"},
		{"DER signature", sig(append([]byte{0x30, 0x44, 0x02, 0x20}, make([]byte, 66)...)), "70 bytes"},
		{"empty signature", h + "." + p + ".", "0 bytes"},
		{"r = 0", sig(append(make([]byte, 32), one...)), "r is out of range"},
		{"s = n", sig(append(one, order...)), "s is out of range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := Parse(tc.compact)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %+v, %v; want an error with %q", tok, err, tc.want)
			}
		})
	}
}
