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
)

// defaultLease is 3× the stack's 10 s function timeout, used when
// CLAIM_LEASE_SECONDS is unset (e.g. when run by hand).
const defaultLease = 30 * time.Second

// Config is the function's configuration, read once at start.
type Config struct {
	TableName       string
	CallbackSigners []string
	Lease           time.Duration // how long a claim holds a request
}

// loadConfig reads the configuration through getenv.
func loadConfig(getenv func(string) string) (Config, error) {
	cfg := Config{TableName: getenv(EnvTableName), Lease: defaultLease}
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
	if text := getenv(EnvClaimLeaseSeconds); text != "" {
		seconds, err := strconv.Atoi(text)
		if err != nil || seconds < 1 {
			return Config{}, fmt.Errorf("%s must be a whole number of seconds ≥ 1, got %q", EnvClaimLeaseSeconds, text)
		}
		cfg.Lease = time.Duration(seconds) * time.Second
	}
	return cfg, nil
}
