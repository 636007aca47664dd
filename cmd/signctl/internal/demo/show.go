package demo

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/cmd/signctl/internal/signing"
	"github.com/hitl-go/docsign/internal/contract"
)

// showItem shows a token-table item's contract attributes with the task
// token cut short: a task token is a secret, even in a demo.
func showItem(item map[string]ddbtypes.AttributeValue) string {
	var parts []string
	for _, name := range []string{contract.AttrDocumentID, contract.AttrSigner, contract.AttrStatus, contract.AttrTaskToken, contract.AttrRequestedAt, contract.AttrExpiresAt} {
		var v string
		switch av := item[name].(type) {
		case *ddbtypes.AttributeValueMemberS:
			v = av.Value
		case *ddbtypes.AttributeValueMemberN:
			v = av.Value
			if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
				v += " (" + time.Unix(secs, 0).UTC().Format(time.TimeOnly) + "Z)"
			}
		default:
			continue
		}
		if name == contract.AttrTaskToken {
			v = v[:min(8, len(v))] + "…"
		}
		parts = append(parts, name+"="+v)
	}
	return strings.Join(parts, " ")
}

// demoInvokeResult shows a Lambda invocation's outcome.
func invokeResult(out *lambda.InvokeOutput) string {
	if errorType, message, failed := signing.FunctionError(out); failed {
		return fmt.Sprintf("function error %s: %s", errorType, cli.RedactTokens(message))
	}
	return cli.RedactJSON(string(out.Payload))
}

func runTime(ex *sfn.DescribeExecutionOutput) time.Duration {
	return aws.ToTime(ex.StopDate).Sub(aws.ToTime(ex.StartDate)).Round(10 * time.Millisecond)
}

func prettyJSON(doc string) string {
	var v any
	if json.Unmarshal([]byte(doc), &v) != nil {
		return doc
	}
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
