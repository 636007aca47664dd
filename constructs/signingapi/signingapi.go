// Package signingapi defines the HTTP API: the signing page that a
// notification's link opens (public routes: the link's one-time code is the
// credential, checked by the function) and the documents routes, which IAM
// authorises (SigV4).
package signingapi

import (
	"cmp"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2authorizers"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/hitl-go/docsign/constructs/guard"
	"github.com/hitl-go/docsign/internal/contract"
)

// Throttling of the whole stage: ample for people signing, and a bound on
// what a flood of requests costs.
const (
	RateLimit  = 50  // requests per second, steady
	BurstLimit = 100 // requests at once
)

// accessLogFormat is one JSON line per request. It leaves out the path and
// the query: the path names the document and signer only, but nothing a
// request carries beyond its route needs keeping (a link's code never
// reaches the API: it rides in the URL fragment, and the page posts it in
// the body, which is never logged).
const accessLogFormat = `{"requestId":"$context.requestId","requestTime":"$context.requestTime",` +
	`"sourceIp":"$context.identity.sourceIp","caller":"$context.identity.userArn","routeKey":"$context.routeKey",` +
	`"status":"$context.status","responseLength":"$context.responseLength",` +
	`"integrationStatus":"$context.integrationStatus","integrationError":"$context.integrationErrorMessage"}`

// Why two AWS Control Tower controls do not fit this API.
const (
	// CT.APIGATEWAY.PR.5, on the signing page's routes.
	publicRouteReason = "Signers open the page from a notification and hold no AWS identity: the one-time code in " +
		"the link (never sent on GET; posted in the body, hashed, single use, checked by the function) is the " +
		"credential. The page never changes state on GET, and the documents routes are AWS_IAM."
	// CT.LAMBDA.PR.2, on the permissions that let API Gateway invoke the functions.
	permissionSourceReason = "Each permission names its source: SourceArn is this API's execute-api ARN for the " +
		"route, built with Fn::Join, which the rule does not evaluate (it accepts only a literal or a Ref/GetAtt)."
)

// APIProps configures API.
type APIProps struct {
	// SignPage serves the signing page, its assets and its answers.
	SignPage awslambda.IFunction
	// Documents stores documents and starts their runs, and reports them.
	Documents awslambda.IFunction
	// LogRetention and RemovalPolicy of the access log group.
	LogRetention  awslogs.RetentionDays
	RemovalPolicy awscdk.RemovalPolicy
}

// API is the HTTP API and its $default stage.
type API struct {
	constructs.Construct
	API      awsapigatewayv2.HttpApi
	Stage    awsapigatewayv2.HttpStage
	LogGroup awslogs.LogGroup
	// URL is the API's base URL, ending with "/".
	URL *string
}

// NewAPI defines the API, its routes and its logged, throttled stage.
func NewAPI(scope constructs.Construct, id *string, props *APIProps) *API {
	this := constructs.NewConstruct(scope, id)
	api := awsapigatewayv2.NewHttpApi(this, jsii.String("Api"), &awsapigatewayv2.HttpApiProps{
		Description:        jsii.String("Document signing: the signing page of one-time links, and IAM-authorised documents."),
		CreateDefaultStage: jsii.Bool(false),
	})
	logGroup := awslogs.NewLogGroup(this, jsii.String("AccessLogs"), &awslogs.LogGroupProps{
		Retention:     cmp.Or(props.LogRetention, awslogs.RetentionDays_ONE_YEAR),
		RemovalPolicy: cmp.Or(props.RemovalPolicy, awscdk.RemovalPolicy_DESTROY),
	})
	stage := api.AddStage(jsii.String("DefaultStage"), &awsapigatewayv2.HttpStageOptions{
		StageName:  jsii.String("$default"),
		AutoDeploy: jsii.Bool(true),
		Throttle:   &awsapigatewayv2.ThrottleSettings{RateLimit: jsii.Number(RateLimit), BurstLimit: jsii.Number(BurstLimit)},
	})
	stage.Node().DefaultChild().(awsapigatewayv2.CfnStage).SetAccessLogSettings(&awsapigatewayv2.CfnStage_AccessLogSettingsProperty{
		DestinationArn: logGroup.LogGroupArn(),
		Format:         jsii.String(accessLogFormat),
	})

	page := integration("SignPage", props.SignPage)
	public := slices.Concat(
		*api.AddRoutes(&awsapigatewayv2.AddRoutesOptions{
			Path:        jsii.String(contract.SignRoute),
			Methods:     &[]awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod_GET, awsapigatewayv2.HttpMethod_POST},
			Integration: page,
		}),
		*api.AddRoutes(&awsapigatewayv2.AddRoutesOptions{
			Path:        jsii.String(contract.AssetsRoute),
			Methods:     &[]awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod_GET},
			Integration: page,
		}))
	for _, route := range public {
		guard.Suppress(route, guard.RouteAuthorization, publicRouteReason)
	}
	api.AddRoutes(&awsapigatewayv2.AddRoutesOptions{
		Path:        jsii.String(contract.DocumentsRoute),
		Methods:     &[]awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod_GET, awsapigatewayv2.HttpMethod_POST},
		Integration: integration("Documents", props.Documents),
		Authorizer:  awsapigatewayv2authorizers.NewHttpIamAuthorizer(),
	})
	for _, c := range *api.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		if permission, ok := c.(awslambda.CfnPermission); ok {
			guard.Suppress(permission, guard.LambdaPublicAccess, permissionSourceReason)
		}
	}
	url := awscdk.Fn_Join(jsii.String(""), jsii.Strings(*api.ApiEndpoint(), "/"))
	return &API{Construct: this, API: api, Stage: stage, LogGroup: logGroup, URL: url}
}

func integration(id string, fn awslambda.IFunction) awsapigatewayv2integrations.HttpLambdaIntegration {
	return awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String(id), fn, &awsapigatewayv2integrations.HttpLambdaIntegrationProps{
		PayloadFormatVersion: awsapigatewayv2.PayloadFormatVersion_VERSION_2_0(),
	})
}
