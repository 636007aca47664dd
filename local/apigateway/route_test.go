package apigateway

import (
	"maps"
	"testing"
)

func TestRouteSelection(t *testing.T) {
	routes := []string{
		"GET /pets/dog/1",
		"GET /pets/dog/{id}",
		"GET /pets/{proxy+}",
		"ANY /{proxy+}",
		"POST /sign/{documentId}/{signer}",
		"ANY /sign/{documentId}/{signer}",
		"GET /",
		"$default",
	}
	a := &api{id: "x"}
	for _, k := range routes {
		rt, err := parseRoute(k)
		if err != nil {
			t.Fatal(err)
		}
		if k == defaultRouteKey {
			a.fallback = rt
		} else {
			a.routes = append(a.routes, rt)
		}
	}
	tests := []struct {
		method, path string
		want         string
		params       map[string]string
	}{
		{"GET", "/pets/dog/1", "GET /pets/dog/1", nil},
		{"GET", "/pets/dog/2", "GET /pets/dog/{id}", map[string]string{"id": "2"}},
		{"GET", "/pets/cat/1", "GET /pets/{proxy+}", map[string]string{"proxy": "cat/1"}},
		{"GET", "/pets/dog/1/toys", "GET /pets/{proxy+}", map[string]string{"proxy": "dog/1/toys"}},
		{"POST", "/pets/dog/1", "ANY /{proxy+}", map[string]string{"proxy": "pets/dog/1"}},
		{"GET", "/pets", "ANY /{proxy+}", map[string]string{"proxy": "pets"}},
		{"GET", "/", "GET /", nil},
		{"POST", "/", "$default", nil},
		{"POST", "/sign/d1/alice", "POST /sign/{documentId}/{signer}", map[string]string{"documentId": "d1", "signer": "alice"}},
		{"PUT", "/sign/d1/alice", "ANY /sign/{documentId}/{signer}", map[string]string{"documentId": "d1", "signer": "alice"}},
		{"GET", "/sign/d%20one/al%C3%AFce", "ANY /sign/{documentId}/{signer}", map[string]string{"documentId": "d one", "signer": "alïce"}},
		{"POST", "/sign/d1", "ANY /{proxy+}", map[string]string{"proxy": "sign/d1"}},
		{"POST", "/sign/d1/alice/x", "ANY /{proxy+}", map[string]string{"proxy": "sign/d1/alice/x"}},
		{"GET", "/pets/", "ANY /{proxy+}", map[string]string{"proxy": "pets/"}},
		{"BREW", "/pets/dog/1", "ANY /{proxy+}", map[string]string{"proxy": "pets/dog/1"}},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			rt, params := a.find(tt.method, tt.path)
			if rt == nil {
				t.Fatalf("got no route, want %s", tt.want)
			}
			if rt.key != tt.want || !maps.Equal(params, tt.params) {
				t.Errorf("got %s %v, want %s %v", rt.key, params, tt.want, tt.params)
			}
		})
	}
}

func TestRouteSelectionWithoutDefault(t *testing.T) {
	a := &api{id: "x"}
	for _, k := range []string{"GET /a/{b}", "POST /a/b", "GET /c/{d+}"} {
		rt, err := parseRoute(k)
		if err != nil {
			t.Fatal(err)
		}
		a.routes = append(a.routes, rt)
	}
	for _, tt := range []struct{ method, path string }{
		{"GET", "/"}, {"GET", "/a"}, {"GET", "/a/b/c"}, {"PUT", "/a/b"}, {"GET", "/c"}, {"GET", "/c/"},
		{"GET", "/A/b"}, {"GET", "/a//"}, {"GET", "//a/b"},
	} {
		if rt, _ := a.find(tt.method, tt.path); rt != nil {
			t.Errorf("%s %s: got %s, want no route", tt.method, tt.path, rt.key)
		}
	}
}

func TestParseRouteRefuses(t *testing.T) {
	for _, k := range []string{
		"", "GET", "GET pets", "get /pets", "FETCH /pets", "GET /pets/", "GET //pets", "GET /{a+}/b",
		"GET /{}", "GET /{+}", "GET /{a}/{a}", "GET /a{b}", "GET /{a}b", "GET /{a/b}", "$DEFAULT", "GET /..",
	} {
		if _, err := parseRoute(k); err == nil {
			t.Errorf("parseRoute(%q): got no error", k)
		}
	}
}
