package kms

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/hitl-go/docsign/local/internal/apierror"
)

// Enum value sets of the KMS API model.
var (
	messageTypes      = []string{messageTypeRaw, messageTypeDigest, "EXTERNAL_MU"}
	signingAlgorithms = []string{
		"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
		"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
		"ECDSA_SHA_256", "ECDSA_SHA_384", "ECDSA_SHA_512", "SM2DSA",
		"ML_DSA_SHAKE_256", "ED25519_SHA_512", "ED25519_PH_SHA_512",
	}
)

// Length bounds of the KMS API model.
const (
	maxKeyIDLen      = 2048
	maxMessageLen    = 4096
	maxSignatureLen  = 6144
	maxGrantTokens   = 10
	maxGrantTokenLen = 8192
)

// keyRequest holds the members every operation here takes.
type keyRequest struct {
	keyID       string
	grantTokens []string
}

// decodeKeyRequest decodes KeyId and GrantTokens, recording their
// constraint failures in v.
func decodeKeyRequest(in members, v *validation) (keyRequest, *APIError) {
	keyID, err := in.str("KeyId")
	if err != nil {
		return keyRequest{}, err
	}
	tokens, err := in.strList("GrantTokens")
	if err != nil {
		return keyRequest{}, err
	}
	if keyID == nil {
		v.null("keyId")
	} else {
		v.length("keyId", *keyID, len([]rune(*keyID)), 1, maxKeyIDLen, true)
	}
	if len(tokens) > maxGrantTokens {
		v.fail("grantTokens", "", false, "Member must have length less than or equal to "+strconv.Itoa(maxGrantTokens))
	}
	for i, t := range tokens {
		v.length("grantTokens."+strconv.Itoa(i+1)+".member", t, len([]rune(t)), 1, maxGrantTokenLen, false)
	}
	r := keyRequest{grantTokens: tokens}
	if keyID != nil {
		r.keyID = *keyID
	}
	return r, nil
}

// keyIDShape matches a bare key id.
var keyIDShape = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// lookup finds a key by key id or key ARN, answering as KMS does for a
// key, an alias or a string that is neither.
func (s *Service) lookup(keyID string) (*key, *APIError) {
	if k := s.byARN[keyID]; k != nil {
		return k, nil
	}
	if k := s.byID[keyID]; k != nil {
		return k, nil
	}
	switch {
	case strings.HasPrefix(keyID, "alias/") || strings.Contains(keyID, ":alias/"):
		return nil, apierror.New(codeNotFound, "Alias %s is not found.", apierror.Clip(keyID))
	case keyIDShape.MatchString(keyID) || keyARN.MatchString(keyID):
		return nil, apierror.New(codeNotFound, "Key '%s' does not exist", apierror.Clip(keyID))
	}
	return nil, apierror.New(codeNotFound, "Invalid keyId '%s'", apierror.Clip(keyID))
}

// checkGrantTokens refuses grant tokens: this service issues none, so
// none can be valid.
func checkGrantTokens(tokens []string) *APIError {
	if len(tokens) > 0 {
		return apierror.New(codeInvalidGrantToken, "Grant token is invalid: the local KMS issues no grants")
	}
	return nil
}

// signRequest is a decoded Sign or Verify request.
type signRequest struct {
	keyRequest
	message     []byte
	messageType string
	signature   []byte // Verify only
	algorithm   string
	dryRun      bool
}

// decodeSignRequest decodes and validates a Sign (or, with verify, a
// Verify) request: type errors first, then every constraint at once.
func decodeSignRequest(in members, verify bool) (*signRequest, *APIError) {
	var v validation
	kr, err := decodeKeyRequest(in, &v)
	if err != nil {
		return nil, err
	}
	r := &signRequest{keyRequest: kr, messageType: messageTypeRaw}
	message, hasMessage, err := in.blob("Message")
	if err != nil {
		return nil, err
	}
	messageType, err := in.str("MessageType")
	if err != nil {
		return nil, err
	}
	var signature []byte
	hasSignature := false
	if verify { // Sign ignores a Signature member, as any unknown one
		if signature, hasSignature, err = in.blob("Signature"); err != nil {
			return nil, err
		}
	}
	algorithm, err := in.str("SigningAlgorithm")
	if err != nil {
		return nil, err
	}
	if r.dryRun, err = in.boolean("DryRun"); err != nil {
		return nil, err
	}
	if !hasMessage {
		v.null("message")
	} else {
		v.length("message", "", len(message), 1, maxMessageLen, false)
	}
	if messageType != nil {
		v.enum("messageType", *messageType, messageTypes)
		r.messageType = *messageType
	}
	if verify {
		if !hasSignature {
			v.null("signature")
		} else {
			v.length("signature", "", len(signature), 1, maxSignatureLen, false)
		}
	}
	if algorithm == nil {
		v.null("signingAlgorithm")
	} else {
		v.enum("signingAlgorithm", *algorithm, signingAlgorithms)
		r.algorithm = *algorithm
	}
	r.message, r.signature = message, signature
	return r, v.err()
}
