package signpage

import "embed"

// assetFiles are the page's script, stylesheet and icon, served from the
// function itself so the CSP can say 'self' and nothing else. (Without an
// icon of its own, a browser asks the API's root for /favicon.ico.)
//
//go:embed assets/sign.js assets/sign.css assets/icon.svg
var assetFiles embed.FS

// assets maps each servable file name to its content type. Names are
// matched exactly: nothing else in the package is reachable.
var assets = map[string]string{"sign.js": typeJS, "sign.css": typeCSS, "icon.svg": typeSVG}

// asset answers GET /assets/{file}.
func asset(name string) reply {
	contentType, ok := assets[name]
	if !ok {
		return jsonError(404, errorNoRoute, "no such asset")
	}
	b, err := assetFiles.ReadFile("assets/" + name)
	if err != nil { // embedded above: cannot fail
		panic(err)
	}
	return reply{status: 200, contentType: contentType, body: string(b)}
}
