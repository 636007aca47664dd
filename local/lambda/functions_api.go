package lambda

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"time"
)

// functionConfiguration is Lambda's FunctionConfiguration shape, as
// GetFunction and ListFunctions return it.
type functionConfiguration struct {
	FunctionName     string            `json:"FunctionName"`
	FunctionArn      string            `json:"FunctionArn"`
	Runtime          string            `json:"Runtime"`
	Role             string            `json:"Role,omitempty"`
	Handler          string            `json:"Handler"`
	CodeSize         int64             `json:"CodeSize"`
	Description      string            `json:"Description"`
	Timeout          int               `json:"Timeout"`
	MemorySize       int               `json:"MemorySize"`
	LastModified     string            `json:"LastModified"`
	CodeSha256       string            `json:"CodeSha256"`
	Version          string            `json:"Version"`
	Environment      *environment      `json:"Environment,omitempty"`
	TracingConfig    map[string]string `json:"TracingConfig"`
	RevisionID       string            `json:"RevisionId"`
	State            string            `json:"State"`
	LastUpdateStatus string            `json:"LastUpdateStatus"`
	PackageType      string            `json:"PackageType"`
	Architectures    []string          `json:"Architectures"`
	EphemeralStorage map[string]int    `json:"EphemeralStorage"`
	LoggingConfig    map[string]string `json:"LoggingConfig"`
}

type environment struct {
	Variables map[string]string `json:"Variables"`
}

func (f *function) configuration() functionConfiguration {
	c := f.cfg
	logging := map[string]string{"LogFormat": c.LogFormat, "LogGroup": c.LogGroup}
	if c.LogFormat == "JSON" {
		logging["ApplicationLogLevel"] = c.ApplicationLogLevel
		logging["SystemLogLevel"] = "INFO"
		if c.ApplicationLogLevel == "" {
			logging["ApplicationLogLevel"] = "INFO"
		}
	}
	out := functionConfiguration{
		FunctionName: c.Name, FunctionArn: c.ARN, Runtime: c.Runtime, Role: c.Role, Handler: c.Handler,
		CodeSize: f.codeSize, Description: c.Description, Timeout: int((c.Timeout + time.Second - 1) / time.Second), MemorySize: c.MemoryMB,
		LastModified: f.registered.Format("2006-01-02T15:04:05.000-0700"), CodeSha256: f.codeSHA256,
		Version: "$LATEST", TracingConfig: map[string]string{"Mode": c.TracingMode}, RevisionID: f.revision,
		State: "Active", LastUpdateStatus: "Successful", PackageType: "Zip", Architectures: c.Architectures,
		EphemeralStorage: map[string]int{"Size": 512}, LoggingConfig: logging,
	}
	if len(c.Env) > 0 {
		out.Environment = &environment{Variables: c.Env}
	}
	return out
}

// lookupForRead resolves the {name} path value and the Qualifier query.
func (h *Host) lookupForRead(r *http.Request) (*function, error) {
	name := r.PathValue("name")
	if q := r.URL.Query().Get("Qualifier"); q != "" {
		name += ":" + q
	}
	f, _, err := h.lookup(name)
	return f, err
}

func (h *Host) serveGetFunction(w http.ResponseWriter, r *http.Request) {
	f, err := h.lookupForRead(r)
	if err != nil {
		writeAPIError(w, err)
		return
	}
	writeJSON(w, map[string]any{"Configuration": f.configuration(), "Tags": map[string]string{}})
}

func (h *Host) serveGetFunctionConfiguration(w http.ResponseWriter, r *http.Request) {
	f, err := h.lookupForRead(r)
	if err != nil {
		writeAPIError(w, err)
		return
	}
	writeJSON(w, f.configuration())
}

// serveListFunctions pages through the functions by name; Marker is the
// last name of the previous page.
func (h *Host) serveListFunctions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 50
	if s := q.Get("MaxItems"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 10000 {
			writeAPIError(w, &InvalidParameterValueError{Message: "MaxItems must be between 1 and 10000"})
			return
		}
		limit = n
	}
	// Markers are function names: one that cannot be a name cannot have
	// come from this host, and is refused as Lambda refuses a foreign one.
	marker := q.Get("Marker")
	if marker != "" && !nameRE.MatchString(marker) {
		writeAPIError(w, &InvalidParameterValueError{Message: "Marker is not one that ListFunctions returned"})
		return
	}
	h.mu.RLock()
	fns := make([]*function, 0, len(h.fns))
	for _, f := range h.fns {
		if f.cfg.Name > marker {
			fns = append(fns, f)
		}
	}
	h.mu.RUnlock()
	sort.Slice(fns, func(i, j int) bool { return fns[i].cfg.Name < fns[j].cfg.Name })
	out := struct {
		Functions  []functionConfiguration `json:"Functions"`
		NextMarker *string                 `json:"NextMarker"`
	}{Functions: []functionConfiguration{}}
	for i, f := range fns {
		if i == limit {
			next := fns[i-1].cfg.Name
			out.NextMarker = &next
			break
		}
		out.Functions = append(out.Functions, f.configuration())
	}
	writeJSON(w, out)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
