package signpage

import "testing"

func TestNewRefuses(t *testing.T) {
	for _, tt := range []struct {
		name    string
		c       Completer
		signers []string
	}{
		{"no completer", nil, []string{"Bob"}},
		{"no signers", &fakeCompleter{}, nil},
		{"an empty signer", &fakeCompleter{}, []string{"Bob", ""}},
		{"a signer with a control character", &fakeCompleter{}, []string{"Bob\x1b"}},
	} {
		if h, err := New(tt.c, tt.signers, nil); err == nil {
			t.Errorf("%s: New = %v, want an error", tt.name, h)
		}
	}
	if h, err := New(&fakeCompleter{}, []string{"Bob"}, nil); err != nil || h.log == nil {
		t.Errorf("New without a logger = %v, %v; want slog's default", h, err)
	}
}
