// Package event decodes Lambda events strictly and hands raw payloads to
// handlers, so that every malformed event becomes a *fault.InvalidInput.
package event

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/hitl-go/docsign/internal/fault"
)

// Decode decodes one JSON value from payload into v, a pointer to a struct,
// refusing with a *fault.InvalidInput malformed JSON, keys that are not
// exactly one of the struct's JSON field names (encoding/json alone would
// match "DOCUMENTID" to "documentId"), a key given twice in any object
// (encoding/json alone would let the last one win), mistyped fields and
// trailing data. The message names the problem, never a field's value.
func Decode(payload []byte, v any) error {
	if err := checkKeys(payload, fieldNames(v)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return fault.Invalid("invalid input: empty event")
		}
		return fault.Invalid("invalid input: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fault.Invalid("invalid input: data after the JSON object")
	}
	return nil
}

// Handler adapts handle to the Lambda runtime. Unlike lambda.Start(handle),
// whose decoder fails malformed JSON before the handler runs, it passes the
// raw payload through, so the handler's own validation answers every event.
func Handler[Out any](handle func(context.Context, json.RawMessage) (Out, error)) lambda.Handler {
	return handlerFunc[Out](handle)
}

type handlerFunc[Out any] func(context.Context, json.RawMessage) (Out, error)

// Invoke implements lambda.Handler.
func (f handlerFunc[Out]) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	out, err := f(ctx, payload)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}
