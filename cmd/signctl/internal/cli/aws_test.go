package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// isolateAWSConfig hides the machine's AWS configuration and environment.
func isolateAWSConfig(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	for _, v := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
}

func TestAWSConfig(t *testing.T) {
	tests := []struct {
		name         string
		opts         Options
		env          map[string]string
		hint         string
		wantRegion   string
		wantEndpoint string
		wantKey      string // access key of the credentials, "" = not resolved by the test
	}{
		{name: "defaults", wantRegion: "us-east-1"},
		{name: "the ARN's region", hint: "eu-west-1", wantRegion: "eu-west-1"},
		{name: "the environment over the ARN", env: map[string]string{"AWS_REGION": "ap-south-1"}, hint: "eu-west-1", wantRegion: "ap-south-1"},
		{name: "the flag over all", opts: Options{Region: "us-west-2"}, env: map[string]string{"AWS_REGION": "ap-south-1"}, wantRegion: "us-west-2"},
		{name: "endpoint from the environment, placeholder credentials on loopback", env: map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4566"},
			wantRegion: "us-east-1", wantEndpoint: "http://127.0.0.1:4566", wantKey: "local"},
		{name: "the flag's endpoint wins", opts: Options{Endpoint: "http://localhost:9"}, env: map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4566"},
			wantRegion: "us-east-1", wantEndpoint: "http://localhost:9", wantKey: "local"},
		{name: "own credentials are kept", opts: Options{Endpoint: "http://127.0.0.1:4566"},
			env: map[string]string{"AWS_ACCESS_KEY_ID": "AKIAMINE", "AWS_SECRET_ACCESS_KEY": "s"}, wantRegion: "us-east-1",
			wantEndpoint: "http://127.0.0.1:4566", wantKey: "AKIAMINE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolateAWSConfig(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			cfg, err := tt.opts.Config(context.Background(), tt.hint)
			if err != nil {
				t.Fatal(err)
			}
			endpoint := ""
			if cfg.BaseEndpoint != nil {
				endpoint = *cfg.BaseEndpoint
			}
			if cfg.Region != tt.wantRegion || endpoint != tt.wantEndpoint {
				t.Errorf("region %q endpoint %q, want %q %q", cfg.Region, endpoint, tt.wantRegion, tt.wantEndpoint)
			}
			if tt.wantKey != "" {
				creds, err := cfg.Credentials.Retrieve(context.Background())
				if err != nil || creds.AccessKeyID != tt.wantKey {
					t.Errorf("credentials %q, %v; want key %q", creds.AccessKeyID, err, tt.wantKey)
				}
			}
		})
	}
}

func TestAWSConfigBadEndpoint(t *testing.T) {
	isolateAWSConfig(t)
	o := Options{Endpoint: "127.0.0.1:4566"} // no scheme
	_, err := o.Config(context.Background(), "")
	var ce *Error
	if !errors.As(err, &ce) || ce.Exit != ExitUsage {
		t.Errorf("err = %v, want a usage error", err)
	}
}

func TestConnectEndpoint(t *testing.T) {
	outputs := func(account string) string {
		return `{"DocumentSigningStack":{"StateMachineArn":"arn:aws:states:eu-west-1:` + account + `:stateMachine:S","TableName":"T","CompleteSignatureFunctionName":"F"}}`
	}
	tests := []struct {
		name, account, flag, env, want string
	}{
		{"the local stack's outputs", "000000000000", "", "", "http://127.0.0.1:4566"},
		{"the local stack's outputs, endpoint given", "000000000000", "http://127.0.0.1:5000", "", "http://127.0.0.1:5000"},
		{"the local stack's outputs, endpoint in the environment", "000000000000", "", "http://127.0.0.1:6000", "http://127.0.0.1:6000"},
		{"a deployed stack's outputs", "123456789012", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolateAWSConfig(t)
			t.Setenv("AWS_ENDPOINT_URL", tt.env)
			file := filepath.Join(t.TempDir(), "outputs.json")
			if err := os.WriteFile(file, []byte(outputs(tt.account)), 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := Connect(context.Background(), &Options{Endpoint: tt.flag, OutputsFile: file})
			if err != nil {
				t.Fatal(err)
			}
			if s.Endpoint != tt.want {
				t.Errorf("endpoint = %q, want %q", s.Endpoint, tt.want)
			}
		})
	}
}
