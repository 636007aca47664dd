package lambda_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/hitl-go/docsign/local/lambda"
)

// A host runs functions built for this machine and serves the Lambda API;
// SDK clients and the AWS CLI reach it through the endpoint that mounts
// Handler.
func Example() {
	host := lambda.NewHost(lambda.Options{
		Logs: os.Stdout, // "[CompleteSignatureFn] {...}" per line
		Env: map[string]string{ // for every function, not part of its configuration
			"AWS_ENDPOINT_URL":      "http://127.0.0.1:4566",
			"AWS_ACCESS_KEY_ID":     "local",
			"AWS_SECRET_ACCESS_KEY": "local",
		},
	})
	defer host.Close()
	err := host.Register(lambda.FunctionConfig{
		Name:       "CompleteSignatureFn",
		Executable: "bin/lambdas/completesignature", // built with go build for the host
		Env:        map[string]string{"TABLE_NAME": "Tokens", "CALLBACK_SIGNERS": "Bob"},
		Timeout:    10 * time.Second,
		LogFormat:  "JSON",
	})
	if err != nil {
		log.Fatal(err)
	}
	go http.ListenAndServe("127.0.0.1:4566", host.Handler())

	out, err := host.Invoke(context.Background(), "CompleteSignatureFn", []byte(`{"documentId":"3"}`))
	if err != nil {
		log.Fatal(err) // e.g. *lambda.ResourceNotFoundError
	}
	fmt.Println(out.FunctionError, string(out.Payload))
}
