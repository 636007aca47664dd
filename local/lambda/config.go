package lambda

import (
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Defaults Lambda applies to a function that does not set them.
const (
	DefaultTimeout        = 3 * time.Second
	DefaultMemoryMB       = 128
	DefaultRuntime        = "provided.al2023"
	DefaultHandler        = "bootstrap"
	DefaultLogFormat      = "Text"
	DefaultTracingMode    = "PassThrough"
	DefaultMaxConcurrency = 10
	DefaultInitTimeout    = 10 * time.Second
)

// Options configure a Host.
type Options struct {
	Region    string    // default us-east-1
	AccountID string    // default 000000000000
	Partition string    // default aws
	Logs      io.Writer // receives every function's output, one "[name] line" per line; nil discards
	// Env is added to every function's process environment but, unlike
	// FunctionConfig.Env, is not part of its configuration (GetFunction does not
	// show it): endpoint overrides and credentials belong here, as Lambda
	// injects credentials without listing them.
	Env map[string]string
	// InitTimeout bounds a new instance's start-up before it asks for its first
	// invocation; Lambda's init phase limit is 10 s.
	InitTimeout time.Duration
	// AsyncRetryDelays are the waits before retrying a failed Event invocation;
	// Lambda retries twice, after about one and two minutes (the default).
	AsyncRetryDelays []time.Duration
}

func (o Options) withDefaults() Options {
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.AccountID == "" {
		o.AccountID = "000000000000"
	}
	if o.Partition == "" {
		o.Partition = "aws"
	}
	if o.Logs == nil {
		o.Logs = io.Discard
	}
	if o.InitTimeout <= 0 {
		o.InitTimeout = DefaultInitTimeout
	}
	if o.AsyncRetryDelays == nil {
		o.AsyncRetryDelays = []time.Duration{time.Minute, 2 * time.Minute}
	}
	o.Env = maps.Clone(o.Env) // the caller's maps and slices stay theirs
	o.AsyncRetryDelays = slices.Clone(o.AsyncRetryDelays)
	return o
}

// FunctionConfig describes one function: its configuration as Lambda would
// hold it, and the built binary that runs it on this machine.
type FunctionConfig struct {
	Name       string // 1–64 of [A-Za-z0-9_-]
	ARN        string // default arn:<partition>:lambda:<region>:<account>:function:<Name>
	Executable string // path of the built binary (the custom runtime's bootstrap)
	Env        map[string]string
	Timeout    time.Duration // default 3 s
	MemoryMB   int           // default 128
	Handler    string        // default "bootstrap"
	Runtime    string        // default provided.al2023
	Role       string
	// Description, as GetFunction reports it: at most 256 characters.
	Description string
	// TracingMode is TracingConfig.Mode: "PassThrough" (default) or "Active".
	// It is reported only: no traces are recorded.
	TracingMode string
	// Architectures reported by GetFunction; default the host's.
	Architectures []string
	LogFormat     string // "Text" (default) or "JSON"
	LogGroup      string // default /aws/lambda/<Name>
	// ApplicationLogLevel sets AWS_LAMBDA_LOG_LEVEL for JSON logs (e.g. "INFO").
	ApplicationLogLevel string
	// MaxConcurrency caps the function's local processes (default 10); further
	// invocations wait for an instance, as the account's concurrency (1000) is
	// not what limits a developer machine.
	MaxConcurrency int
	// ReservedConcurrency, when > 0, throttles invocations beyond it with
	// TooManyRequestsException, as Lambda does for reserved concurrency.
	ReservedConcurrency int
}

func (c FunctionConfig) withDefaults(o Options) FunctionConfig {
	c.Env = maps.Clone(c.Env)
	c.Architectures = slices.Clone(c.Architectures)
	if c.ARN == "" {
		c.ARN = functionARN(o.Partition, o.Region, o.AccountID, c.Name)
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MemoryMB <= 0 {
		c.MemoryMB = DefaultMemoryMB
	}
	if c.Handler == "" {
		c.Handler = DefaultHandler
	}
	if c.Runtime == "" {
		c.Runtime = DefaultRuntime
	}
	if len(c.Architectures) == 0 {
		c.Architectures = []string{hostArchitecture()}
	}
	if c.LogFormat == "" {
		c.LogFormat = DefaultLogFormat
	}
	if c.LogGroup == "" {
		c.LogGroup = "/aws/lambda/" + c.Name
	}
	if c.TracingMode == "" {
		c.TracingMode = DefaultTracingMode
	}
	if c.MaxConcurrency <= 0 {
		c.MaxConcurrency = DefaultMaxConcurrency
	}
	return c
}

// maxDescription is the longest function description Lambda accepts.
const maxDescription = 256

// validate checks what Lambda would refuse, and that the binary exists.
func (c FunctionConfig) validate() error {
	if !nameRE.MatchString(c.Name) {
		return fmt.Errorf("function name %q: want 1-64 of [A-Za-z0-9_-]", c.Name)
	}
	ref, err := parseFunctionRef(c.ARN)
	if err != nil || ref.Region == "" || ref.Name != c.Name || ref.Qualifier != "" {
		return fmt.Errorf("function %s: ARN %q is not an unqualified ARN of that function", c.Name, c.ARN)
	}
	if c.LogFormat != "Text" && c.LogFormat != "JSON" {
		return fmt.Errorf("function %s: log format %q: want Text or JSON", c.Name, c.LogFormat)
	}
	if c.TracingMode != "Active" && c.TracingMode != "PassThrough" {
		return fmt.Errorf("function %s: tracing mode %q: want Active or PassThrough", c.Name, c.TracingMode)
	}
	if n := utf8.RuneCountInString(c.Description); n > maxDescription {
		return fmt.Errorf("function %s: description of %d characters: Lambda allows %d", c.Name, n, maxDescription)
	}
	info, err := os.Stat(c.Executable)
	if err != nil {
		return fmt.Errorf("function %s: executable: %w", c.Name, err)
	}
	if info.IsDir() || info.Mode()&0o111 == 0 {
		return fmt.Errorf("function %s: %s is not an executable file", c.Name, c.Executable)
	}
	return nil
}

// hostArchitecture names the host's architecture as Lambda does.
func hostArchitecture() string {
	if runtime.GOARCH == "amd64" {
		return "x86_64"
	}
	return runtime.GOARCH
}

// environ builds an instance's environment: what Lambda sets, then the
// function's variables, then the host-wide ones (the platform's, like the
// credentials Lambda injects, win), then the Runtime API address.
func (c FunctionConfig) environ(o Options, runtimeAPI, logStream string) []string {
	env := map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":        c.Name,
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(c.MemoryMB),
		"AWS_LAMBDA_LOG_FORMAT":           strings.ToUpper(c.LogFormat), // TEXT or JSON
		"AWS_LAMBDA_LOG_GROUP_NAME":       c.LogGroup,
		"AWS_LAMBDA_LOG_STREAM_NAME":      logStream,
		"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
		"AWS_REGION":                      o.Region,
		"AWS_DEFAULT_REGION":              o.Region,
		"_HANDLER":                        c.Handler,
		"LAMBDA_TASK_ROOT":                filepath.Dir(c.Executable),
		"LANG":                            "en_US.UTF-8",
		"TZ":                              ":UTC",
		"PATH":                            os.Getenv("PATH"),
	}
	// Lambda does not define AWS_EXECUTION_ENV for OS-only runtimes.
	if !strings.HasPrefix(c.Runtime, "provided") {
		env["AWS_EXECUTION_ENV"] = "AWS_Lambda_" + c.Runtime
	}
	if c.LogFormat == "JSON" && c.ApplicationLogLevel != "" {
		env["AWS_LAMBDA_LOG_LEVEL"] = c.ApplicationLogLevel
	}
	for k, v := range c.Env {
		env[k] = v
	}
	for k, v := range o.Env {
		env[k] = v
	}
	env["AWS_LAMBDA_RUNTIME_API"] = runtimeAPI
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}
