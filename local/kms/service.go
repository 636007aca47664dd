// Package kms mirrors the AWS KMS API (JSON 1.1, X-Amz-Target
// "TrentService.<Operation>") for the operations a signing workflow uses:
// Sign, Verify, GetPublicKey and DescribeKey, over real ECC P-256 keys.
package kms

import (
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/hitl-go/docsign/local/internal/apierror"
)

const (
	// TargetPrefix starts the X-Amz-Target of every KMS request.
	TargetPrefix = "TrentService."
	// ContentType is the AWS JSON 1.1 media type KMS requests and answers use.
	ContentType = "application/x-amz-json-1.1"
	// maxRequestSize bounds a request body. The largest valid request (a
	// 4096-byte message and a 6144-byte signature in base64, ten grant
	// tokens of 8192 characters) is under 100 KiB.
	maxRequestSize = 1 << 20
)

// Options configure a Service.
type Options struct {
	// Keys are the keys to serve.
	Keys []Key
	// Dir keeps each key's private key (PKCS#8 PEM, 0600, in a 0700
	// directory) so that signatures stay verifiable across restarts; a key
	// with no file there gets a new one. Empty keeps keys in memory only.
	Dir string
	// Logger receives a debug line per request; nil discards them.
	Logger *slog.Logger
}

// Service serves the KMS API for a fixed set of keys. It is safe for
// concurrent use: its keys never change after New.
type Service struct {
	byARN, byID map[string]*key
	log         *slog.Logger
}

// New loads (or, the first time, creates) the material of every key. It
// refuses keys it cannot serve: only ECC_NIST_P256 with SIGN_VERIFY.
func New(opts Options) (*Service, error) {
	s := &Service{byARN: map[string]*key{}, byID: map[string]*key{}, log: opts.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if opts.Dir != "" {
		if err := prepareDir(opts.Dir); err != nil {
			return nil, err
		}
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	for _, k := range opts.Keys {
		id, region, account, err := checkKey(k)
		if err != nil {
			return nil, err
		}
		if s.byARN[k.ARN] != nil || s.byID[id] != nil {
			return nil, fmt.Errorf("kms key %s: key id %s is served twice", k.LogicalID, id)
		}
		var priv *ecdsa.PrivateKey
		created := now
		if opts.Dir != "" {
			priv, created, err = loadOrCreate(filepath.Join(opts.Dir, keyFileName(region, account, id)))
		} else {
			priv, err = newPrivateKey()
		}
		if err != nil {
			return nil, fmt.Errorf("kms key %s: %w", k.LogicalID, err)
		}
		served, err := newKey(k, id, region, account, priv, created)
		if err != nil {
			return nil, err
		}
		s.byARN[k.ARN], s.byID[id] = served, served
	}
	return s, nil
}

// Matches reports whether r is a KMS API request, for routing.
func Matches(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("X-Amz-Target"), TargetPrefix)
}

// operation runs one API operation on a decoded request.
type operation func(s *Service, in members) (any, *APIError)

var operations = map[string]operation{
	"Sign":         (*Service).sign,
	"Verify":       (*Service).verify,
	"GetPublicKey": (*Service).getPublicKey,
	"DescribeKey":  (*Service).describeKey,
}

// ServeHTTP serves one KMS API request.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), TargetPrefix)
	out, apiErr := s.serve(r, op)
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("x-amzn-RequestId", requestID())
	if apiErr != nil {
		s.log.Debug("kms request failed", "operation", apierror.Clip(op), "code", apiErr.Code)
		w.WriteHeader(apiErr.HTTPStatus())
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": apiErr.Code, "message": apiErr.Message})
		return
	}
	s.log.Debug("kms request", "operation", op)
	_ = json.NewEncoder(w).Encode(out)
}

func (s *Service) serve(r *http.Request, op string) (any, *APIError) {
	if r.Method != http.MethodPost {
		return nil, &APIError{Code: codeUnknownOperation, Status: statusUnknownOperationMethod,
			Message: "The KMS API accepts POST requests only"}
	}
	if !Matches(r) {
		return nil, apierror.New(codeUnknownOperation, "Missing or unknown X-Amz-Target header")
	}
	run, ok := operations[op]
	if !ok {
		return nil, apierror.New(codeUnknownOperation, "Operation %s is not supported by the local KMS", apierror.Clip(op))
	}
	// AWS routes JSON 1.1 requests by media type: another one is not a
	// KMS operation at all.
	if ct := r.Header.Get("Content-Type"); !strings.EqualFold(strings.TrimSpace(strings.Split(ct, ";")[0]), ContentType) {
		return nil, apierror.New(codeUnknownOperation, "Content-Type %q is not %s", apierror.Clip(ct), ContentType)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestSize+1))
	if err != nil {
		return nil, apierror.New(codeSerialization, "Could not read the request body")
	}
	if len(body) > maxRequestSize {
		return nil, apierror.New(codeValidation, "Request size exceeds the maximum of %d bytes", maxRequestSize)
	}
	in, apiErr := decodeMembers(body)
	if apiErr != nil {
		return nil, apiErr
	}
	return run(s, in)
}

// requestID makes a UUID-shaped request id, as AWS returns.
func requestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
