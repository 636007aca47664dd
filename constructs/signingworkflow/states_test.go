package signingworkflow

import (
	"testing"
	"time"
)

func TestRequestAttemptsOutlastTheWindow(t *testing.T) {
	tests := []struct {
		window time.Duration
		want   int
	}{
		{0, 1},
		{time.Second, 1},
		{2 * time.Second, 2},  // 1+2
		{3 * time.Second, 2},  // 1+2
		{40 * time.Second, 6}, // 1+2+4+8+16+32 = 63 ≥ 30 s lease + 10 s invocation
		{63 * time.Second, 6}, // exactly
		{64 * time.Second, 7}, // one more doubling
	}
	for _, tt := range tests {
		got := requestAttempts(tt.window)
		if got != tt.want {
			t.Errorf("requestAttempts(%v) = %d, want %d", tt.window, got, tt.want)
		}
		// The waits the attempts make: 1, 2, 4, … seconds.
		if waits := time.Duration(1<<got-1) * requestRetryInterval; waits < tt.window {
			t.Errorf("requestAttempts(%v) = %d waits %v, shorter than the window", tt.window, got, waits)
		}
	}
}
