package apigateway

import (
	"sync"
	"time"
)

// limiter is a token bucket: the stage's throttling (burst and
// steady-state rate), answered with 429 when empty.
type limiter struct {
	mu     sync.Mutex
	burst  float64
	rate   float64 // tokens per second
	tokens float64
	last   time.Time
}

// newLimiter returns nil (unthrottled) when neither limit is set.
func newLimiter(burst int, rate float64) *limiter {
	if burst <= 0 && rate <= 0 {
		return nil
	}
	return &limiter{burst: float64(burst), rate: rate, tokens: float64(burst)}
}

func (l *limiter) allow(now time.Time) bool {
	if l == nil {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.last.IsZero() {
		l.tokens = min(l.burst, l.tokens+now.Sub(l.last).Seconds()*l.rate)
	}
	l.last = now
	if l.tokens < 1 {
		return false
	}
	l.tokens--
	return true
}
