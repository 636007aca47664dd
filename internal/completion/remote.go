package completion

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/hitl-go/docsign/internal/fault"
)

// Invoker lists the Lambda call Remote makes.
type Invoker interface {
	Invoke(context.Context, *lambda.InvokeInput, ...func(*lambda.Options)) (*lambda.InvokeOutput, error)
}

var _ Invoker = (*lambda.Client)(nil)

// Remote completes with a link's code by invoking the complete-signature
// function, so that the internet-facing signing page holds no right to sign,
// resume runs or read their history: only to invoke that one function.
type Remote struct {
	Lambda   Invoker
	Function string // complete-signature's name or ARN
}

// CompleteByLink passes the signer's answer and the code on. The function's
// typed errors come back as the same *fault types; anything else is
// *fault.SignatureServiceUnavailable. The code is never quoted in an error.
func (r *Remote) CompleteByLink(ctx context.Context, in Input, code string) (Result, error) {
	in.Code = code
	payload, err := json.Marshal(in)
	if err != nil {
		return Result{}, fmt.Errorf("encode the answer: %w", err)
	}
	out, err := r.Lambda.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(r.Function), Payload: payload})
	if err != nil {
		return Result{}, fault.Unavailable("invoke %s: %v; retry", r.Function, err)
	}
	if out.FunctionError != nil {
		var e struct{ ErrorType, ErrorMessage string }
		_ = json.Unmarshal(out.Payload, &e)
		if typed, ok := fault.Of(e.ErrorType, e.ErrorMessage); ok {
			return Result{}, typed
		}
		return Result{}, fault.Unavailable("%s failed (%s %s); retry", r.Function, aws.ToString(out.FunctionError), e.ErrorType)
	}
	var res Result
	if err := json.Unmarshal(out.Payload, &res); err != nil || res.Status == "" {
		return Result{}, fault.Unavailable("%s answered something other than a result; retry", r.Function)
	}
	return res, nil
}
