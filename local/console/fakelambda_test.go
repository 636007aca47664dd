package console

import (
	"encoding/json"
	"net/http"
	"strings"
)

// fakeFunctions is what ListFunctions reports, two per page.
var fakeFunctions = []string{"DocumentSigningStack-SignDocument9F8E7D6C", "DocumentSigningStack-RequestSignature5A6B7C8D", fakeFunction}

// lambda serves ListFunctions and Invoke (for complete-signature only).
func (f *fakeAWS) lambda(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/2015-03-31/functions")
	switch {
	case r.Method == http.MethodGet && (rest == "" || rest == "/"):
		from := 0
		if m := r.URL.Query().Get("Marker"); m != "" {
			from = len(m) // the marker is "x" repeated: the index of the next page
		}
		to := min(from+2, len(fakeFunctions))
		page := map[string]any{"Functions": []any{}}
		for _, name := range fakeFunctions[from:to] {
			page["Functions"] = append(page["Functions"].([]any), map[string]any{"FunctionName": name, "Runtime": "provided.al2023"})
		}
		if to < len(fakeFunctions) {
			page["NextMarker"] = strings.Repeat("x", to)
		}
		writeJSON(w, http.StatusOK, page)
	case r.Method == http.MethodPost && strings.HasSuffix(rest, "/invocations"):
		name := strings.TrimSuffix(strings.TrimPrefix(rest, "/"), "/invocations")
		if name != fakeFunction {
			w.Header().Set("X-Amzn-ErrorType", "ResourceNotFoundException")
			writeJSON(w, http.StatusNotFound, map[string]string{"Type": "User", "Message": "Function not found: " + name})
			return
		}
		var in map[string]string
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			functionError(w, "InvalidInput", "payload is not a JSON object of strings")
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		f.invocations = append(f.invocations, map[string]any{"documentId": in["documentId"], "signer": in["signer"],
			"decision": in["decision"], "reason": in["reason"]})
		f.complete(w, in)
	default:
		http.NotFound(w, r)
	}
}

// complete behaves like complete-signature for the scripted executions.
func (f *fakeAWS) complete(w http.ResponseWriter, in map[string]string) {
	signer, decision := in["signer"], in["decision"]
	if signer == "" {
		signer = "Bob"
	}
	if decision == "" {
		decision = "sign"
	}
	e := f.executions[in["documentId"]]
	switch {
	case signer != "Bob" || (decision != "sign" && decision != "decline") || (decision == "decline" && in["reason"] == ""):
		functionError(w, "InvalidInput", "signer must be Bob and decision sign, or decline with a reason")
	case e == nil:
		functionError(w, "SignatureRequestNotFound", "no signature request for "+in["documentId"]+"/"+signer)
	case e.expired:
		functionError(w, "SignatureRequestExpired", "the signature request expired")
	case e.status != "RUNNING":
		functionError(w, "SignatureAlreadyCompleted", "already completed")
	case decision == "sign":
		e.sign()
		writeJSON(w, http.StatusOK, map[string]string{"documentId": e.name, "signer": signer, "status": "SIGNED"})
	default:
		e.decline(in["reason"])
		writeJSON(w, http.StatusOK, map[string]string{"documentId": e.name, "signer": signer, "status": "DECLINED"})
	}
}

// functionError answers like Lambda does for a function error.
func functionError(w http.ResponseWriter, errorType, message string) {
	w.Header().Set("X-Amz-Function-Error", "Unhandled")
	writeJSON(w, http.StatusOK, map[string]string{"errorType": errorType, "errorMessage": message})
}
