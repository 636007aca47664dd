package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hitl-go/docsign/lambdas/internal/signature"
)

// Environment variables (set by the stack; names are part of the contract).
const (
	EnvTableName         = "TABLE_NAME"
	EnvCallbackSigners   = "CALLBACK_SIGNERS"    // comma-separated, e.g. "Bob"
	EnvClaimLeaseSeconds = "CLAIM_LEASE_SECONDS" // longer than the function timeout
	// EnvAskAgainSeconds: how long after a callback task failed its run may
	// take to ask again with a new token (its longest retry wait, then an
	// invocation of request-signature).
	EnvAskAgainSeconds = "ASK_AGAIN_SECONDS"
)

// Defaults used when the variables are unset (e.g. when run by hand): 3× the
// stack's 10 s function timeout, and its 64 s longest retry wait plus 10 s.
const (
	defaultLease    = 30 * time.Second
	defaultAskAgain = 74 * time.Second
)

// Config is the function's configuration, read once at start.
type Config struct {
	TableName       string
	CallbackSigners []string
	Lease           time.Duration // how long a claim holds a request
	AskAgain        time.Duration // how long an expired request's run may take to ask again
}

// loadConfig reads the configuration through getenv.
func loadConfig(getenv func(string) string) (Config, error) {
	cfg := Config{TableName: getenv(EnvTableName), Lease: defaultLease, AskAgain: defaultAskAgain}
	if cfg.TableName == "" {
		return Config{}, fmt.Errorf("%s is not set", EnvTableName)
	}
	for _, name := range strings.Split(getenv(EnvCallbackSigners), ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		if err := signature.CheckSigner(name); err != nil {
			return Config{}, fmt.Errorf("%s: %w", EnvCallbackSigners, err)
		}
		cfg.CallbackSigners = append(cfg.CallbackSigners, name)
	}
	for _, v := range []struct {
		name string
		d    *time.Duration
	}{{EnvClaimLeaseSeconds, &cfg.Lease}, {EnvAskAgainSeconds, &cfg.AskAgain}} { // in order: one error names the first bad one
		if text := getenv(v.name); text != "" {
			seconds, err := strconv.Atoi(text)
			if err != nil || seconds < 1 {
				return Config{}, fmt.Errorf("%s must be a whole number of seconds ≥ 1, got %q", v.name, text)
			}
			*v.d = time.Duration(seconds) * time.Second
		}
	}
	return cfg, nil
}
