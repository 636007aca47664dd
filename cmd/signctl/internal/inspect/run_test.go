package inspect

import "testing"

func TestConsoleURL(t *testing.T) {
	arn := "arn:aws:states:eu-west-1:123456789012:execution:Signing:3"
	tests := []struct{ endpoint, arn, want string }{
		{"", arn, "https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/" + arn},
		{"http://127.0.0.1:4566", arn, ""},
		{"", "arn:aws-cn:states:cn-north-1:123456789012:execution:Signing:3", ""},
	}
	for _, tt := range tests {
		if got := consoleURL(tt.endpoint, tt.arn); got != tt.want {
			t.Errorf("consoleURL(%q, %q) = %q, want %q", tt.endpoint, tt.arn, got, tt.want)
		}
	}
}
