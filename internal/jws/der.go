package jws

import (
	"bytes"
	"crypto/elliptic"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
)

// coordSize is the size of r and of s in a JOSE ES256 signature.
const coordSize = 32

// sigB64Len is the length of an ES256 signature in base64url.
const sigB64Len = (2*coordSize*8 + 5) / 6

// p256Order is n, the order of P-256: r and s lie in [1, n-1].
var p256Order = elliptic.P256().Params().N

// DERToJOSE converts an ECDSA P-256 signature from ASN.1 DER
// (SEQUENCE { r INTEGER, s INTEGER }, what KMS returns) to the JOSE form
// JWS uses: r‖s, each as 32 big-endian bytes. It refuses anything that is
// not exactly one canonical DER signature with r and s in [1, n-1].
func DERToJOSE(der []byte) ([]byte, error) {
	var sig struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(der, &sig)
	if err != nil {
		return nil, fmt.Errorf("ECDSA signature is not DER: %w", err)
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("ECDSA signature has %d bytes after the DER sequence", len(rest))
	}
	// encoding/asn1 accepts some BER (e.g. long-form small lengths);
	// re-encoding catches it.
	if again, err := asn1.Marshal(sig); err != nil || !bytes.Equal(again, der) {
		return nil, errors.New("ECDSA signature is not canonical DER")
	}
	if err := checkScalar("r", sig.R); err != nil {
		return nil, err
	}
	if err := checkScalar("s", sig.S); err != nil {
		return nil, err
	}
	out := make([]byte, 2*coordSize)
	sig.R.FillBytes(out[:coordSize])
	sig.S.FillBytes(out[coordSize:])
	return out, nil
}

// splitJOSE returns r and s of a 64-byte JOSE signature, checked in range.
func splitJOSE(sig []byte) (r, s *big.Int, err error) {
	if len(sig) != 2*coordSize {
		return nil, nil, fmt.Errorf("ES256 signature is %d bytes, not %d", len(sig), 2*coordSize)
	}
	r = new(big.Int).SetBytes(sig[:coordSize])
	s = new(big.Int).SetBytes(sig[coordSize:])
	if err := checkScalar("r", r); err != nil {
		return nil, nil, err
	}
	if err := checkScalar("s", s); err != nil {
		return nil, nil, err
	}
	return r, s, nil
}

func checkScalar(name string, v *big.Int) error {
	if v.Sign() <= 0 || v.Cmp(p256Order) >= 0 {
		return fmt.Errorf("ECDSA signature's %s is out of range", name)
	}
	return nil
}
