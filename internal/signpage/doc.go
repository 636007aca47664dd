// Package signpage answers a signing link: the HTTP API routes a link's page,
// its script and stylesheet, and the signer's answer to one Lambda, whose
// handler this is.
//
// A link is <ApiUrl>sign/<documentId>/<signer>#<code>. The one-time code
// rides in the fragment, which browsers never send, so the GET that mail
// scanners and link previews make shows the request and changes nothing; the
// page's script reads the code and POSTs it with the signer's decision, and
// only that POST reaches the completion logic (a Completer).
package signpage
