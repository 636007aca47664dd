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

// The signing page's routes (public: the link's one-time code is the
// credential, checked by the page's function).
const (
	SignerPathParameter = "signer"
	FilePathParameter   = "file"
	SignRoute           = "/" + SignRoutePrefix + "{" + DocumentIDPathParameter + "}/{" + SignerPathParameter + "}"
	AssetsRoute         = "/assets/{" + FilePathParameter + "}"
	RouteKeyGetSignPage = "GET " + SignRoute  // the page; never changes state
	RouteKeyPostSign    = "POST " + SignRoute // the page's answer: {"code","decision","reason"?}
	RouteKeyGetAsset    = "GET " + AssetsRoute
)
