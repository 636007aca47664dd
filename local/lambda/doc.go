// Package lambda runs Go Lambda functions on this machine the way AWS Lambda
// runs them: each function instance is a real process of the function's
// built binary, started with AWS_LAMBDA_RUNTIME_API pointing at a loopback
// Runtime API listener of its own, so aws-lambda-go's lambda.Start works
// unchanged. That listener answers only under a random path in the variable
// and only to requests naming its address as Host and carrying no Origin or
// Sec-Fetch-* header: no browser page, rebinding or cross-site, can take an
// invocation (and its task token) or answer one.
//
// A Host keeps warm instances per function (up to FunctionConfig's
// MaxConcurrency), enforces the function timeout (Sandbox.Timedout),
// replaces instances whose process exits (Runtime.ExitError), streams each
// instance's output line by line, prefixed with the function name, and serves
// Lambda's REST API (Invoke, GetFunction, GetFunctionConfiguration,
// ListFunctions) through Handler, with AWS's status codes, headers and error
// shapes, so the AWS SDKs and CLI work against it.
//
// Instances run in their own process group and receive SIGKILL when the
// host's process dies, however it dies; Close stops them all.
package lambda
