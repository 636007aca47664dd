package cli

import (
	"context"
	"io"
	"time"
)

// App holds what the commands share; tests replace its parts with fakes.
type App struct {
	// Connect reads the outputs file and builds the AWS clients.
	Connect func(ctx context.Context, o *Options) (*Session, error)
	Now     func() time.Time
	// IsTerminal reports whether w is an interactive terminal (watch redraws in place).
	IsTerminal func(w io.Writer) bool
	// PollInterval is watch's default refresh interval.
	PollInterval time.Duration
}

// DefaultApp is the App of the real command line.
func DefaultApp() *App {
	return &App{Connect: Connect, Now: time.Now, IsTerminal: IsTerminal, PollInterval: time.Second}
}
