// Package e2e holds the product's end-to-end and fault tests: the app,
// synthesized with the CDK CLI, runs on the local stack (package
// local/stack) and is driven through the AWS CLI, the AWS SDK, `signctl`
// and the console in a browser. It has no code besides its tests; their
// harness is package internal/stacktest.
package e2e
