package jws

import (
	"bytes"
	"encoding/hex"
	"math/big"
	"strings"
	"testing"
)

// derInt and derSeq build DER by hand, so the cases hold exact bytes.
func derInt(b ...byte) []byte { return append([]byte{0x02, byte(len(b))}, b...) }

func derSeq(items ...[]byte) []byte {
	body := bytes.Join(items, nil)
	return append([]byte{0x30, byte(len(body))}, body...)
}

func rep(b byte, n int) []byte { return bytes.Repeat([]byte{b}, n) }

func TestDERToJOSE(t *testing.T) {
	orderMinus1 := new(big.Int).Sub(p256Order, big.NewInt(1)).Bytes()
	tests := []struct {
		name string
		der  []byte
		want string // hex of r‖s
	}{
		{"32-byte r and s", derSeq(derInt(rep(0x11, 32)...), derInt(rep(0x22, 32)...)),
			strings.Repeat("11", 32) + strings.Repeat("22", 32)},
		{"33-byte r with a sign byte", derSeq(derInt(append([]byte{0}, rep(0x80, 32)...)...), derInt(rep(0x22, 32)...)),
			strings.Repeat("80", 32) + strings.Repeat("22", 32)},
		{"both with sign bytes", derSeq(derInt(append([]byte{0}, rep(0xf0, 32)...)...), derInt(append([]byte{0}, rep(0xa0, 32)...)...)),
			strings.Repeat("f0", 32) + strings.Repeat("a0", 32)},
		{"31-byte r (leading zero byte dropped)", derSeq(derInt(rep(0x33, 31)...), derInt(rep(0x22, 32)...)),
			"00" + strings.Repeat("33", 31) + strings.Repeat("22", 32)},
		{"short s", derSeq(derInt(rep(0x11, 32)...), derInt(0x05)),
			strings.Repeat("11", 32) + strings.Repeat("00", 31) + "05"},
		{"r = 1, s = 1", derSeq(derInt(1), derInt(1)), strings.Repeat("00", 31) + "01" + strings.Repeat("00", 31) + "01"},
		{"s = n-1", derSeq(derInt(1), derInt(append([]byte{0}, orderMinus1...)...)),
			strings.Repeat("00", 31) + "01" + hex.EncodeToString(orderMinus1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DERToJOSE(tc.der)
			if err != nil {
				t.Fatal(err)
			}
			if hex.EncodeToString(got) != tc.want {
				t.Errorf("got %x\nwant %s", got, tc.want)
			}
		})
	}
}

func TestDERToJOSERefuses(t *testing.T) {
	r, s := derInt(rep(0x11, 32)...), derInt(rep(0x22, 32)...)
	good := derSeq(r, s)
	order := append([]byte{0}, p256Order.Bytes()...)
	tests := []struct {
		name string
		der  []byte
	}{
		{"empty", nil},
		{"not a sequence", append([]byte{0x31}, good[1:]...)},
		{"truncated", good[:len(good)-1]},
		{"trailing byte", append(append([]byte{}, good...), 0)},
		{"one integer", derSeq(r)},
		{"three integers", derSeq(r, s, s)},
		{"non-minimal integer (needless zero byte)", derSeq(derInt(append([]byte{0}, rep(0x11, 32)...)...), s)},
		{"negative r", derSeq(derInt(append([]byte{0x80}, rep(0x11, 31)...)...), s)},
		{"r = 0", derSeq(derInt(0), s)},
		{"s = n", derSeq(r, derInt(order...))},
		{"r over 32 bytes", derSeq(derInt(append([]byte{1}, rep(0, 32)...)...), s)},
		{"long-form length (BER)", append([]byte{0x30, 0x81, byte(len(good) - 2)}, good[2:]...)},
		{"indefinite length (BER)", append(append([]byte{0x30, 0x80}, good[2:]...), 0, 0)},
		{"octet strings instead of integers", derSeq(append([]byte{0x04, 32}, rep(0x11, 32)...), s)},
		{"JOSE form given as DER", append(rep(0x11, 32), rep(0x22, 32)...)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := DERToJOSE(tc.der); err == nil {
				t.Errorf("accepted %x as %x", tc.der, got)
			}
		})
	}
}
