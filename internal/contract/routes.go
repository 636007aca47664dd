package contract

// The documents API's routes (HTTP API route keys "<METHOD> <path>", each
// authorised with AWS_IAM): the stack declares exactly these, and the
// documents API Lambda answers nothing else.
const (
	DocumentIDPathParameter = "documentId"
	DocumentsRoute          = "/" + DocumentsRoutePrefix + "{" + DocumentIDPathParameter + "}"
	RouteKeyPostDocument    = "POST " + DocumentsRoute // store documents/<documentId> and start its run
	RouteKeyGetDocument     = "GET " + DocumentsRoute  // the run and where each signer stands
)
