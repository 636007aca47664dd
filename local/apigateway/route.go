package apigateway

import (
	"fmt"
	"net/url"
	"strings"
)

const defaultRouteKey = "$default"

// methods are the methods a route key may name besides ANY; a request with
// another method matches only ANY and $default routes.
var methods = map[string]bool{
	"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true,
}

type segmentKind int

// Kinds in decreasing specificity: a literal segment beats a variable, which
// beats a greedy variable.
const (
	literal segmentKind = iota
	variable
	greedy
)

type segment struct {
	kind segmentKind
	text string // the literal, or the variable's name
}

// route is a parsed route key with what it targets.
type route struct {
	key      string
	method   string // "ANY" or a method; "" for $default
	segments []segment
	iam      bool
	target   target
}

// parseRoute parses a route key ("$default" or "GET /a/{b}/{c+}").
func parseRoute(key string) (*route, error) {
	if key == defaultRouteKey {
		return &route{key: key}, nil
	}
	method, path, ok := strings.Cut(key, " ")
	if !ok || (method != "ANY" && !methods[method]) {
		return nil, fmt.Errorf("route key %q: want \"$default\" or \"<METHOD> /<path>\"", key)
	}
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("route key %q: the path must start with /", key)
	}
	rt := &route{key: key, method: method}
	if path == "/" {
		return rt, nil
	}
	names := map[string]bool{}
	parts := strings.Split(path[1:], "/")
	for i, p := range parts {
		s, err := parseSegment(p, i == len(parts)-1)
		if err != nil {
			return nil, fmt.Errorf("route key %q: %w", key, err)
		}
		if s.kind != literal {
			if names[s.text] {
				return nil, fmt.Errorf("route key %q: variable %s appears twice", key, s.text)
			}
			names[s.text] = true
		}
		rt.segments = append(rt.segments, s)
	}
	return rt, nil
}

func parseSegment(p string, last bool) (segment, error) {
	if p == "" {
		return segment{}, fmt.Errorf("empty path segment")
	}
	if !strings.HasPrefix(p, "{") && !strings.HasSuffix(p, "}") {
		if strings.ContainsAny(p, "{}") || p == "." || p == ".." {
			return segment{}, fmt.Errorf("bad path segment %q", p)
		}
		return segment{kind: literal, text: p}, nil
	}
	name := strings.TrimSuffix(strings.TrimPrefix(p, "{"), "}")
	kind := variable
	if strings.HasSuffix(name, "+") {
		if !last {
			return segment{}, fmt.Errorf("greedy variable %s must end the path", p)
		}
		kind, name = greedy, strings.TrimSuffix(name, "+")
	}
	if name == "" || len(p) != len(name)+2+boolInt(kind == greedy) || strings.ContainsAny(name, "{}+/") {
		return segment{}, fmt.Errorf("bad path variable %q", p)
	}
	return segment{kind: kind, text: name}, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// match reports whether the route takes a request for method and path
// (split into its still-escaped segments), with the decoded path
// parameters.
func (rt *route) match(method string, segs []string) (map[string]string, bool) {
	if rt.method != "ANY" && rt.method != method {
		return nil, false
	}
	var params map[string]string
	set := func(k, v string) {
		if params == nil {
			params = map[string]string{}
		}
		params[k] = v
	}
	for i, s := range rt.segments {
		if s.kind == greedy {
			rest := segs[min(i, len(segs)):]
			v, err := url.PathUnescape(strings.Join(rest, "/"))
			if len(rest) == 0 || err != nil || v == "" {
				return nil, false
			}
			set(s.text, v)
			return params, true
		}
		if i >= len(segs) || segs[i] == "" {
			return nil, false
		}
		v, err := url.PathUnescape(segs[i])
		if err != nil {
			return nil, false
		}
		switch {
		case s.kind == literal && v != s.text:
			return nil, false
		case s.kind == variable:
			set(s.text, v)
		}
	}
	return params, len(segs) == len(rt.segments)
}

// moreSpecific reports whether rt is a better match than other for the same
// request, as API Gateway ranks routes: segment by segment, a literal beats
// a variable, which beats a greedy variable; then a named method beats ANY.
func (rt *route) moreSpecific(other *route) bool {
	for i := 0; i < len(rt.segments) && i < len(other.segments); i++ {
		if a, b := rt.segments[i].kind, other.segments[i].kind; a != b {
			return a < b
		}
	}
	if len(rt.segments) != len(other.segments) {
		// Both matched, so the shorter one ends in a greedy variable
		// that the longer one spelled out.
		return len(rt.segments) > len(other.segments)
	}
	return rt.method != "ANY" && other.method == "ANY"
}

// splitPath splits an escaped path ("/a/b%2Fc") into segments; "/" has none.
func splitPath(escaped string) []string {
	if escaped == "/" || escaped == "" {
		return nil
	}
	return strings.Split(strings.TrimPrefix(escaped, "/"), "/")
}

// find selects the route for a request, or nil.
func (a *api) find(method, escapedPath string) (*route, map[string]string) {
	segs := splitPath(escapedPath)
	var best *route
	var bestParams map[string]string
	for _, rt := range a.routes {
		params, ok := rt.match(method, segs)
		if ok && (best == nil || rt.moreSpecific(best)) {
			best, bestParams = rt, params
		}
	}
	if best == nil && a.fallback != nil {
		return a.fallback, nil
	}
	return best, bestParams
}
