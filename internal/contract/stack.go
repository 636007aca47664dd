package contract

// StackName is the CDK stack the app defines and signctl reads outputs of.
const StackName = "DocumentSigningStack"

// Stack outputs (names in an outputs file shaped like `cdk deploy --outputs-file`).
const (
	OutputStateMachineARN               = "StateMachineArn"
	OutputStateMachineName              = "StateMachineName"
	OutputTableName                     = "TableName"
	OutputSignDocumentFunctionName      = "SignDocumentFunctionName"
	OutputRequestSignatureFunctionName  = "RequestSignatureFunctionName"
	OutputCompleteSignatureFunctionName = "CompleteSignatureFunctionName"
	OutputPinDocumentFunctionName       = "PinDocumentFunctionName"
	OutputDocumentBucketName            = "DocumentBucketName"
	OutputSigningKeyARN                 = "SigningKeyArn"
	OutputAPIURL                        = "ApiUrl" // the HTTP API's base URL, ending with "/"
	OutputNotificationTopicARN          = "NotificationTopicArn"
	OutputSignPageFunctionName          = "SignPageFunctionName"
	OutputDocumentsAPIFunctionName      = "DocumentsApiFunctionName"
)

// Environment variables the stack sets and the Lambdas read once at start.
const (
	EnvTableName         = "TABLE_NAME"
	EnvCallbackSigners   = "CALLBACK_SIGNERS"            // comma-separated names, in order
	EnvClaimLeaseSeconds = "CLAIM_LEASE_SECONDS"         // how long a completion's claim holds a request
	EnvDocumentBucket    = "DOCUMENT_BUCKET"             // the versioned bucket holding documents/<documentId>
	EnvSigningKeyARN     = "SIGNING_KEY_ARN"             // the KMS key that signs statements
	EnvNotificationTopic = "NOTIFICATION_TOPIC_ARN"      // the SNS topic request-signature publishes to
	EnvAPIURL            = "API_URL"                     // the HTTP API's base URL, ending with "/"
	EnvStateMachineARN   = "STATE_MACHINE_ARN"           // the workflow the documents API starts
	EnvCompleteFunction  = "COMPLETE_SIGNATURE_FUNCTION" // the function the signing page passes answers to
)

// EnvGoMaxProcs is the Go runtime's own variable, which the stack sets on
// every function (constructs/gofunction says why).
const EnvGoMaxProcs = "GOMAXPROCS"

// MetadataGoPackage is the CloudFormation Metadata key of a Go Lambda
// function naming its package ("./lambdas/<function>"), so local tooling can
// build the function for the host.
const MetadataGoPackage = "signing:goPackage"
