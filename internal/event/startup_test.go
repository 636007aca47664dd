package event_test

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hitl-go/docsign/internal/contract"
)

// TestFunctionsLinkOnlyTheirServices: each function links the AWS SDK
// clients it calls and no other, since every linked service package's init
// (schemas, endpoint regexps) is paid at each cold start. The clients
// config.LoadDefaultConfig links for its credential providers, and
// dynamodbstreams (attributevalue's), are not counted.
func TestFunctionsLinkOnlyTheirServices(t *testing.T) {
	want := map[string][]string{
		"completesignature": {"dynamodb", "kms", "s3", "sfn"},
		"documentsapi":      {"dynamodb", "s3", "sfn"},
		"pindocument":       {"s3"},
		"requestsignature":  {"dynamodb", "sns"},
		"signdocument":      {"dynamodb", "kms", "s3"},
		"signpage":          {"dynamodb", "lambda", "s3"}, // public: it invokes complete-signature, and cannot sign
	}
	ignored := []string{"dynamodbstreams", "signin", "sso", "ssooidc", "sts"}
	service := regexp.MustCompile(`^github\.com/aws/aws-sdk-go-v2/service/([a-z0-9]+)$`)
	mains, err := filepath.Glob("../../lambdas/*/main.go")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, main := range mains {
		dir := filepath.Dir(main)
		out, err := exec.Command("go", "list", "-tags", "lambda.norpc", "-deps", "./"+dir).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", dir, err)
		}
		var services []string
		for pkg := range strings.Lines(string(out)) {
			if m := service.FindStringSubmatch(strings.TrimSpace(pkg)); m != nil && !slices.Contains(ignored, m[1]) {
				services = append(services, m[1])
			}
		}
		slices.Sort(services)
		got[filepath.Base(dir)] = services
	}
	if !maps.EqualFunc(got, want, slices.Equal) {
		t.Errorf("functions link services\n%v\nwant\n%v", got, want)
	}
}

// BenchmarkStartup measures each function's start-up alone, as Lambda
// sees it before the first event: from exec of the binary, built as
// deployed, to its first request for an invocation. The function gets only
// what Lambda's environment has (no HOME, no shared config files, no
// AWS_CA_BUNDLE from the caller's shell). Medians are reported because a
// busy machine makes the mean mostly noise:
//
//	go test -run '^$' -bench Startup -benchtime 30x ./internal/event
func BenchmarkStartup(b *testing.B) {
	fns, err := filepath.Glob("../../lambdas/*/main.go")
	if err != nil || len(fns) == 0 {
		b.Fatalf("no functions: %v", err)
	}
	// The floor: exec, the Go runtime and aws-lambda-go, without the SDK.
	fns = append(fns, "testdata/floor/main.go")
	dir := b.TempDir()
	bins := make([]string, len(fns))
	for i, main := range fns {
		bins[i] = filepath.Join(dir, filepath.Base(filepath.Dir(main)))
		build := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w", "-o", bins[i], "./"+filepath.Dir(main))
		if out, err := build.CombinedOutput(); err != nil {
			b.Fatalf("build %s: %v\n%s", main, err, out)
		}
	}
	for _, bin := range bins {
		b.Run(filepath.Base(bin), func(b *testing.B) { benchmarkStartup(b, bin) })
	}
}

func benchmarkStartup(b *testing.B, bin string) {
	polled := make(chan time.Time, 1)
	const prefix = "/0123456789abcdef0123456789abcdef" // the local host's random secret
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == prefix+"/2018-06-01/runtime/invocation/next" {
			polled <- time.Now()
		}
		<-r.Context().Done() // no event: the process is killed first
	}))
	defer srv.Close()
	env := startupEnv(srv.Listener.Addr().String() + prefix)

	run := func() (wall, cpu time.Duration) {
		cmd := exec.Command(bin)
		cmd.Env = env
		began := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case at := <-polled:
			wall = at.Sub(began)
		case err := <-exited:
			b.Fatalf("%s exited before asking for an event: %v", bin, err)
		case <-time.After(10 * time.Second):
			b.Fatalf("%s did not ask for an event", bin)
		}
		_ = cmd.Process.Kill()
		<-exited
		return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	run() // reads the binary into the page cache

	var walls, cpus []time.Duration
	for b.Loop() {
		wall, cpu := run()
		walls, cpus = append(walls, wall), append(cpus, cpu)
	}
	b.ReportMetric(median(walls), "ms-median")
	b.ReportMetric(float64(slices.Min(walls).Microseconds())/1e3, "ms-min")
	b.ReportMetric(median(cpus), "cpu-ms-median")
}

// startupEnv is what Lambda gives a provided.al2023 function, plus every
// variable the stack sets on one of the functions (each reads its own).
func startupEnv(runtimeAPI string) []string {
	return []string{
		"AWS_LAMBDA_RUNTIME_API=" + runtimeAPI,
		"AWS_LAMBDA_FUNCTION_NAME=startup", "AWS_LAMBDA_FUNCTION_VERSION=$LATEST", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128",
		"AWS_LAMBDA_LOG_FORMAT=JSON", "AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/startup", "AWS_LAMBDA_LOG_STREAM_NAME=startup",
		"AWS_LAMBDA_INITIALIZATION_TYPE=on-demand", "AWS_REGION=us-east-1", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local", "AWS_SESSION_TOKEN=local",
		"LANG=en_US.UTF-8", "TZ=:UTC", "PATH=" + os.Getenv("PATH"), contract.EnvGoMaxProcs + "=1",
		contract.EnvTableName + "=tokens",
		contract.EnvCallbackSigners + "=Bob",
		contract.EnvClaimLeaseSeconds + "=30",
		contract.EnvDocumentBucket + "=documents",
		contract.EnvSigningKeyARN + "=arn:aws:kms:us-east-1:000000000000:key/startup",
		contract.EnvNotificationTopic + "=arn:aws:sns:us-east-1:000000000000:startup",
		contract.EnvAPIURL + "=https://api.example.com/",
		contract.EnvStateMachineARN + "=arn:aws:states:us-east-1:000000000000:stateMachine:startup",
		contract.EnvCompleteFunction + "=startup-complete",
	}
}

// median is the middle of ds, in milliseconds.
func median(ds []time.Duration) float64 {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return float64(ds[len(ds)/2].Microseconds()) / 1e3
}
