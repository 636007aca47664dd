package sns

import (
	"encoding/base64"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hitl-go/docsign/local/internal/apierror"
)

// The query protocol: parameters are form-encoded in a POST body (what the
// Go SDK v2 and the AWS CLI v1 send) or, for GET, in the query string.
// Structures and maps are flattened into dotted names, e.g.
// MessageAttributes.entry.1.Name and MessageAttributes.entry.1.Value.DataType.

// maxRequestSize bounds a request body: the largest valid Publish (256 KiB
// of message and attributes, percent-encoded three bytes for one) is under
// it.
const maxRequestSize = 1 << 20

// params are a request's parameters, each given once.
type params map[string]string

// readParams decodes a request's parameters.
func readParams(r *http.Request) (params, *APIError) {
	raw := []string{r.URL.RawQuery}
	if r.Method == http.MethodPost && isForm(r.Header.Get("Content-Type")) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestSize+1))
		if err != nil {
			return nil, apierror.New(codeMalformedQuery, "Could not read the request body")
		}
		if len(body) > maxRequestSize {
			return nil, invalidParameter("Message too long")
		}
		raw = append(raw, string(body))
	}
	p := params{}
	for _, s := range raw {
		values, err := url.ParseQuery(s)
		if err != nil {
			return nil, &APIError{Code: codeMalformedQuery, Status: http.StatusNotFound,
				Message: "The query string contains a syntax error: " + apierror.Clip(err.Error())}
		}
		for name, vs := range values {
			if _, dup := p[name]; dup || len(vs) > 1 {
				return nil, invalidParameter(apierror.Clip(name) + " Reason: given more than once")
			}
			if !utf8.ValidString(name) || !utf8.ValidString(vs[0]) {
				return nil, invalidParameter(apierror.Clip(strings.ToValidUTF8(name, "?")) + " Reason: not valid UTF-8")
			}
			p[name] = vs[0]
		}
	}
	return p, nil
}

// isForm reports whether a Content-Type is the form media type.
func isForm(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// str returns a parameter and whether it was given.
func (p params) str(name string) (string, bool) {
	v, ok := p[name]
	return v, ok
}

// attrParam matches a MessageAttributes parameter: its entry index and field.
var attrParam = regexp.MustCompile(`^MessageAttributes\.entry\.([1-9][0-9]{0,5})\.(Name|Value\.DataType|Value\.StringValue|Value\.BinaryValue)$`)

// rawAttribute is one MessageAttributes entry as sent.
type rawAttribute struct {
	index                         int
	fields                        map[string]string
	hasString, hasBinary, hasType bool
}

// messageAttributes gathers the MessageAttributes entries in index order,
// refusing parameters that are not part of an entry.
func (p params) messageAttributes() ([]rawAttribute, *APIError) {
	byIndex := map[int]*rawAttribute{}
	for name, v := range p {
		if !strings.HasPrefix(name, "MessageAttributes.") {
			continue
		}
		m := attrParam.FindStringSubmatch(name)
		if m == nil {
			return nil, invalidParameter("MessageAttributes Reason: unexpected parameter " + apierror.Clip(name))
		}
		i, _ := strconv.Atoi(m[1])
		e := byIndex[i]
		if e == nil {
			e = &rawAttribute{index: i, fields: map[string]string{}}
			byIndex[i] = e
		}
		e.fields[m[2]] = v
	}
	out := make([]rawAttribute, 0, len(byIndex))
	for _, e := range byIndex {
		_, e.hasType = e.fields["Value.DataType"]
		_, e.hasString = e.fields["Value.StringValue"]
		_, e.hasBinary = e.fields["Value.BinaryValue"]
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].index < out[j].index })
	return out, nil
}

// decodeBinary decodes a BinaryValue as the query protocol carries it.
func decodeBinary(s string) ([]byte, bool) {
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	return b, err == nil
}
