package completion

import (
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/hitl-go/docsign/internal/contract"
	"github.com/hitl-go/docsign/internal/event"
	"github.com/hitl-go/docsign/internal/signing"
	"github.com/hitl-go/docsign/internal/tokenstore"
)

// Config is the function's configuration, read once at start. The stack
// sets every variable; a missing or bad one stops the function at start,
// so a changed stack never meets a stale default here.
type Config struct {
	TableName       string
	CallbackSigners []string
	Lease           time.Duration // how long a claim holds a request
}

// LoadConfig reads the configuration through getenv; its error names the
// first missing or bad variable.
func LoadConfig(getenv func(string) string) (Config, error) {
	table, err := event.Require(getenv, contract.EnvTableName)
	if err != nil {
		return Config{}, err
	}
	cfg := Config{TableName: table}
	if cfg.CallbackSigners, err = contract.ParseCallbackSigners(getenv(contract.EnvCallbackSigners)); err != nil {
		return Config{}, err
	}
	text, err := event.Require(getenv, contract.EnvClaimLeaseSeconds)
	if err != nil {
		return Config{}, err
	}
	seconds, err := strconv.Atoi(text)
	if err != nil || seconds < 1 {
		return Config{}, fmt.Errorf("%s must be a whole number of seconds ≥ 1, got %q", contract.EnvClaimLeaseSeconds, text)
	}
	cfg.Lease = time.Duration(seconds) * time.Second
	return cfg, nil
}

// FromEnv builds a Handler with the AWS clients of cfg and the
// configuration the stack sets (LoadConfig), as a function's main does.
func FromEnv(cfg aws.Config, getenv func(string) string) (*Handler, error) {
	fnCfg, err := LoadConfig(getenv)
	if err != nil {
		return nil, err
	}
	sealer, err := signing.New(cfg, getenv)
	if err != nil {
		return nil, err
	}
	store := tokenstore.New(dynamodb.NewFromConfig(cfg), fnCfg.TableName)
	return NewHandler(store, sfn.NewFromConfig(cfg), sealer, fnCfg), nil
}
