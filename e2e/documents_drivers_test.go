package e2e_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/signature"
	"github.com/hitl-go/docsign/internal/stacktest"
)

// sdkDriver reaches the stack through aws-sdk-go-v2.
type sdkDriver struct{ e *stacktest.Env }

// callTimeout bounds one SDK call of a scenario.
const callTimeout = 20 * time.Second

func (d sdkDriver) ctx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), callTimeout)
	t.Cleanup(cancel)
	return ctx
}

func (d sdkDriver) upload(t *testing.T, id string, body []byte) string {
	t.Helper()
	v, err := d.e.Upload(d.ctx(t), id, body)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (d sdkDriver) deleteVersion(t *testing.T, id, versionID string) {
	t.Helper()
	if _, err := d.e.S3.DeleteObject(d.ctx(t), &s3.DeleteObjectInput{Bucket: aws.String(d.e.Bucket),
		Key: aws.String(contract.DocumentKey(id)), VersionId: aws.String(versionID)}); err != nil {
		t.Fatalf("delete %s version %s: %v", id, versionID, err)
	}
}

func (d sdkDriver) start(t *testing.T, id string) string {
	t.Helper()
	out, err := d.e.SFN.StartExecution(d.ctx(t), &sfn.StartExecutionInput{StateMachineArn: aws.String(d.e.Machine),
		Name: aws.String(id), Input: aws.String(stacktest.StartInput(id))})
	if err != nil {
		t.Fatalf("start %s: %v", id, err)
	}
	return aws.ToString(out.ExecutionArn)
}

func (d sdkDriver) waitPending(t *testing.T, id string) {
	t.Helper()
	if err := d.e.WaitForRequest(d.ctx(t), id); err != nil {
		t.Fatal(err)
	}
}

func (d sdkDriver) item(t *testing.T, id, signer string) tableItem {
	t.Helper()
	out, err := d.e.DB.GetItem(d.ctx(t), &dynamodb.GetItemInput{TableName: aws.String(d.e.Table), ConsistentRead: aws.Bool(true),
		Key: map[string]ddbtypes.AttributeValue{
			contract.AttrDocumentID: &ddbtypes.AttributeValueMemberS{Value: id},
			contract.AttrSigner:     &ddbtypes.AttributeValueMemberS{Value: signer},
		}})
	if err != nil {
		t.Fatalf("get %s's request for %s: %v", signer, id, err)
	}
	if out.Item == nil {
		return tableItem{}
	}
	it := tableItem{Attrs: map[string]string{}}
	for name, v := range out.Item {
		switch v := v.(type) {
		case *ddbtypes.AttributeValueMemberS:
			it.Attrs[name] = v.Value
		case *ddbtypes.AttributeValueMemberN:
			it.Attrs[name] = v.Value
		}
	}
	if doc, ok := out.Item[contract.AttrDocument]; ok {
		if err := attributevalue.Unmarshal(doc, &it.Document); err != nil {
			t.Fatalf("%s's request for %s: document: %v", signer, id, err)
		}
	}
	d.e.Tokens.Add(it.Attrs[contract.AttrTaskToken])
	return it
}

func (d sdkDriver) complete(t *testing.T, id string) string {
	t.Helper()
	got, err := complete(d.ctx(t), d.e, completion(id))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func (d sdkDriver) describe(t *testing.T, arn string) runEnd {
	t.Helper()
	out, err := d.e.SFN.DescribeExecution(d.ctx(t), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("describe %s: %v", arn, err)
	}
	return runEnd{Status: string(out.Status), Output: aws.ToString(out.Output), Error: aws.ToString(out.Error), Cause: aws.ToString(out.Cause)}
}

func (d sdkDriver) waitDone(t *testing.T, arn string, timeout time.Duration) runEnd {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	out, err := d.e.WaitExecution(ctx, arn)
	if err != nil {
		t.Fatal(err)
	}
	return runEnd{Status: string(out.Status), Output: aws.ToString(out.Output), Error: aws.ToString(out.Error), Cause: aws.ToString(out.Cause)}
}

func (d sdkDriver) publicKey(t *testing.T, keyARN string) ([]byte, string) {
	t.Helper()
	out, err := d.e.KMS.GetPublicKey(d.ctx(t), &kms.GetPublicKeyInput{KeyId: aws.String(keyARN)})
	if err != nil {
		t.Fatalf("GetPublicKey %s: %v", keyARN, err)
	}
	return out.PublicKey, string(out.KeySpec)
}

// cliDriver reaches the stack through the real AWS CLI.
type cliDriver struct {
	c *awsCLI
	e *stacktest.Env
}

func (d cliDriver) upload(t *testing.T, id string, body []byte) string {
	t.Helper()
	return d.c.putDocument(t, d.e, id, body)
}

func (d cliDriver) deleteVersion(t *testing.T, id, versionID string) {
	t.Helper()
	d.c.run(t, nil, "s3api", "delete-object", "--bucket", d.e.Bucket, "--key", contract.DocumentKey(id), "--version-id", versionID)
}

func (d cliDriver) start(t *testing.T, id string) string {
	t.Helper()
	return d.c.startOnly(t, d.e, id)
}

// waitPending polls with the SDK: the run's global timeout (15 s in the
// tests) leaves no room for a CLI process per poll on a busy machine, and
// waiting is not what the CLI scenarios test.
func (d cliDriver) waitPending(t *testing.T, id string) {
	t.Helper()
	sdkDriver{e: d.e}.waitPending(t, id)
}

func (d cliDriver) item(t *testing.T, id, signer string) tableItem {
	t.Helper()
	key := fmt.Sprintf(`{"documentId":{"S":%q},"signer":{"S":%q}}`, id, signer)
	var out struct {
		Item map[string]map[string]json.RawMessage // name → {"S": …}, {"N": …} or {"M": …}
	}
	d.c.run(t, &out, "dynamodb", "get-item", "--table-name", d.e.Table, "--key", key, "--consistent-read")
	if out.Item == nil {
		return tableItem{}
	}
	it := tableItem{Attrs: map[string]string{}}
	for name, v := range out.Item {
		for typ, raw := range v {
			switch typ {
			case "S", "N":
				var s string
				json.Unmarshal(raw, &s)
				it.Attrs[name] = s
			case "M":
				if name == contract.AttrDocument {
					it.Document = cliDocument(t, raw)
				}
			}
		}
	}
	d.e.Tokens.Add(it.Attrs[contract.AttrTaskToken])
	return it
}

// cliDocument decodes the document map attribute as the CLI prints it.
func cliDocument(t *testing.T, raw json.RawMessage) (doc signature.Document) {
	t.Helper()
	var m map[string]struct{ S string }
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("document attribute %s: %v", raw, err)
	}
	doc.Bucket, doc.Key, doc.VersionID, doc.SHA256 = m["bucket"].S, m["key"].S, m["versionId"].S, m["sha256"].S
	return doc
}

func (d cliDriver) complete(t *testing.T, id string) string {
	t.Helper()
	inv := d.c.invoke(t, d.e.Complete, completion(id))
	if inv.FunctionError != "" {
		return fmt.Sprint(inv.Payload["errorType"])
	}
	return fmt.Sprint(inv.Payload["status"])
}

func (d cliDriver) describe(t *testing.T, arn string) runEnd {
	t.Helper()
	var ex execution
	d.c.run(t, &ex, "stepfunctions", "describe-execution", "--execution-arn", arn)
	return runEnd{Status: ex.Status, Output: ex.Output, Error: ex.Error, Cause: ex.Cause}
}

func (d cliDriver) waitDone(t *testing.T, arn string, timeout time.Duration) runEnd {
	t.Helper()
	ex := d.c.waitDone(t, arn, timeout)
	return runEnd{Status: ex.Status, Output: ex.Output, Error: ex.Error, Cause: ex.Cause}
}

func (d cliDriver) publicKey(t *testing.T, keyARN string) ([]byte, string) {
	t.Helper()
	var out struct{ PublicKey, KeySpec string } // PublicKey: base64 DER, as the CLI prints blobs
	d.c.run(t, &out, "kms", "get-public-key", "--key-id", keyARN)
	der, err := base64.StdEncoding.DecodeString(out.PublicKey)
	if err != nil {
		t.Fatalf("kms get-public-key: PublicKey %q: %v", out.PublicKey, err)
	}
	return der, out.KeySpec
}
