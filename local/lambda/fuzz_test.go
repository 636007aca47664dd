package lambda

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"testing"
)

// FuzzDecodeInvokeRequest feeds arbitrary Invoke requests through the
// request decoding and the function/payload checks: they must never panic,
// must fail only with an error carrying an AWS error code, and must only
// accept what Lambda would run.
func FuzzDecodeInvokeRequest(f *testing.F) {
	h := NewHost(Options{})
	defer h.Close()
	// Nothing runs it: any executable will do, and fuzz workers build none.
	if err := h.Register(FunctionConfig{Name: "fn", Executable: os.Args[0]}); err != nil {
		f.Fatal(err)
	}
	f.Add("fn", "", "", "", "", []byte(`{"action":"echo"}`))
	f.Add(arnPrefix+"fn:$LATEST", "$LATEST", "Event", "None", "", []byte(`[]`))
	f.Add("000000000000:function:fn", "", "DryRun", "Tail", "eyJjdXN0b20iOnt9fQ==", []byte(``))
	f.Add("fn:1", "2", "RequestResponse", "Tail", "!!", []byte(`{"a":`))
	f.Add("nope", "", "Bogus", "Bogus", "", []byte(`"x"`))
	f.Fuzz(func(t *testing.T, name, qualifier, invocationType, logType, clientContext string, body []byte) {
		target := "/2015-03-31/functions/" + url.PathEscape(name) + "/invocations"
		if qualifier != "" {
			target += "?Qualifier=" + url.QueryEscape(qualifier)
		}
		r, err := http.NewRequest(http.MethodPost, "http://lambda"+target, bytes.NewReader(body))
		if err != nil {
			t.Skip()
		}
		r.Header.Set("X-Amz-Invocation-Type", invocationType)
		r.Header.Set("X-Amz-Log-Type", logType)
		r.Header.Set("X-Amz-Client-Context", clientContext)
		r.SetPathValue("name", name)
		req, err := decodeInvokeRequest(r)
		if err == nil {
			var inv *invocation
			_, inv, err = h.prepare(req)
			if err == nil && (!json.Valid(inv.payload) || len(inv.payload) > MaxSyncPayload) {
				t.Fatalf("accepted payload %q", inv.payload)
			}
		}
		var coded interface{ ErrorCode() string }
		if err != nil && !errors.As(err, &coded) {
			t.Fatalf("error without an AWS code: %v", err)
		}
		rec := httptest.NewRecorder()
		if err != nil {
			writeAPIError(rec, err)
			if rec.Code < 400 || rec.Header().Get("X-Amzn-ErrorType") == "" || !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("error answer %d %q %s", rec.Code, rec.Header().Get("X-Amzn-ErrorType"), rec.Body)
			}
		}
	})
}

// FuzzParseFunctionRef checks that a parsed function name always names a
// valid function and re-parses to itself.
func FuzzParseFunctionRef(f *testing.F) {
	for _, s := range []string{"fn", "fn:$LATEST", "000000000000:function:fn", arnPrefix + "fn:1", "arn:aws:lambda"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ref, err := parseFunctionRef(s)
		if err != nil {
			return
		}
		if !nameRE.MatchString(ref.Name) {
			t.Fatalf("parseFunctionRef(%q) accepted name %q", s, ref.Name)
		}
		again := ref.Name
		if ref.Account != "" {
			again = ref.Account + ":function:" + again
		}
		if ref.Region != "" {
			again = "arn:" + ref.Partition + ":lambda:" + ref.Region + ":" + again
		}
		if ref.Qualifier != "" {
			again += ":" + ref.Qualifier
		}
		if back, err := parseFunctionRef(again); err != nil || back != ref {
			t.Fatalf("%q parsed to %+v, which formats as %q and parses to %+v, %v", s, ref, again, back, err)
		}
	})
}
