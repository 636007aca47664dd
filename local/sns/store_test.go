package sns

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

func TestOutboxFileModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sns")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	svc := newTestService(t, dir)
	c, _ := newClient(t, svc)
	notify(t, c, "doc-1", "alice", "m")
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, outboxFile): 0o600} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s: mode %04o, want %04o", path, got, want)
		}
	}
}

func TestOutboxCutLastLineIsDropped(t *testing.T) {
	dir := t.TempDir()
	svc := newTestService(t, dir)
	c, _ := newClient(t, svc)
	notify(t, c, "doc-1", "alice", "first")
	path := filepath.Join(dir, outboxFile)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`{"messageId":"cut`); err != nil {
		t.Fatal(err)
	}
	f.Close()
	restarted := newTestService(t, dir)
	c2, _ := newClient(t, restarted)
	notify(t, c2, "doc-2", "bob", "second")
	got := newTestService(t, dir).Outbox()
	if len(got) != 2 || got[0].Body != "first" || got[1].Body != "second" {
		t.Errorf("outbox after a cut line: %+v", got)
	}
}

func TestOutboxRefusedFiles(t *testing.T) {
	tests := []struct {
		name    string
		content string
		mode    os.FileMode
		want    string
	}{
		{"corrupt line", "{\"messageId\":\"a\"}\nnot json\n", 0o600, "line 2"},
		{"open to others", "", 0o644, "chmod 600"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, outboxFile)
			if err := os.WriteFile(path, []byte(tc.content), tc.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tc.mode); err != nil {
				t.Fatal(err)
			}
			_, err := New(Options{Topics: testTopics(), Dir: dir})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New: %v, want an error naming %q", err, tc.want)
			}
		})
	}
}

func TestConcurrentPublishesAllKept(t *testing.T) {
	dir := t.TempDir()
	svc := newTestService(t, dir)
	c, _ := newClient(t, svc)
	var wg sync.WaitGroup
	const n = 20
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Publish(context.Background(), &sns.PublishInput{TopicArn: aws.String(otherTopicARN), Message: aws.String(strings.Repeat("x", i+1))})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := len(newTestService(t, dir).Outbox()); got != n {
		t.Errorf("%d entries kept on disk, want %d", got, n)
	}
}

func TestNewRefusesWhatItCannotServe(t *testing.T) {
	email := func(policy, scope string) []Subscription {
		return []Subscription{{LogicalID: "Mail", Protocol: "email", Endpoint: "a@example.com", FilterPolicy: policy, FilterPolicyScope: scope}}
	}
	tests := []struct {
		name   string
		topics []Topic
		want   string
	}{
		{"FIFO topic", []Topic{{LogicalID: "T", ARN: testTopicARN + ".fifo"}}, "FIFO"},
		{"not an ARN", []Topic{{LogicalID: "T", ARN: "Notifications"}}, "not a standard topic ARN"},
		{"served twice", []Topic{{LogicalID: "A", ARN: testTopicARN}, {LogicalID: "B", ARN: testTopicARN}}, "served twice"},
		{"sms subscription", []Topic{{LogicalID: "T", ARN: testTopicARN, Subscriptions: []Subscription{{LogicalID: "S", Protocol: "sms", Endpoint: "+15555550100"}}}}, "protocol \"sms\""},
		{"no endpoint", []Topic{{LogicalID: "T", ARN: testTopicARN, Subscriptions: []Subscription{{LogicalID: "S", Protocol: "email"}}}}, "no endpoint"},
		{"MessageBody scope", []Topic{{LogicalID: "T", ARN: testTopicARN, Subscriptions: email(`{"a":["b"]}`, "MessageBody")}}, "MessageBody"},
		{"numeric filter", []Topic{{LogicalID: "T", ARN: testTopicARN, Subscriptions: email(`{"n":[{"numeric":[">",1]}]}`, "")}}, "numeric"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(Options{Topics: tc.topics})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New: %v, want an error naming %q", err, tc.want)
			}
		})
	}
}
