package stacktest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/hitl-go/docsign/internal/contract"
)

// Outbox reads the local stack's kept notifications (contract.OutboxPath).
func (e *Env) Outbox(ctx context.Context) ([]contract.OutboxEntry, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.Endpoint+contract.OutboxPath, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out []contract.OutboxEntry
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", contract.OutboxPath, resp.Status)
	}
	return out, json.NewDecoder(resp.Body).Decode(&out)
}

// WaitForLinks polls the outbox until it holds n notifications for the
// document's signer, and returns their links, oldest first. Each link's
// code is added to Tokens: like task tokens, codes must never reach a log.
func (e *Env) WaitForLinks(ctx context.Context, documentID, signer string, n int) ([]string, error) {
	for {
		entries, err := e.Outbox(ctx)
		var links []string
		for _, m := range entries {
			if m.DocumentID == documentID && m.Signer == signer && m.Link != "" {
				links = append(links, m.Link)
				e.Tokens.Add(LinkCode(m.Link))
			}
		}
		if len(links) >= n {
			return links, nil
		}
		if slept := Sleep(ctx, 200*time.Millisecond); slept != nil {
			return nil, fmt.Errorf("%d notification(s) for %s/%s, have %d (last error: %v): %w", n, documentID, signer, len(links), err, slept)
		}
	}
}

// LinkCode is a signing link's one-time code: its fragment.
func LinkCode(link string) string {
	_, code, _ := strings.Cut(link, "#")
	return code
}

// IAMRequest sends a request signed with SigV4 for execute-api, as an AWS
// SDK or `awscurl` would to an AWS_IAM route, and returns the answer's
// status and body.
func (e *Env) IAMRequest(ctx context.Context, method, url string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	cfg := Config(e.Endpoint)
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return 0, nil, err
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "execute-api", cfg.Region, time.Now()); err != nil {
		return 0, nil, err
	}
	return do(req)
}

// PlainRequest sends a request without credentials, as a browser or a mail
// scanner does.
func PlainRequest(ctx context.Context, method, url, contentType string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return do(req)
}

func do(req *http.Request) (int, []byte, error) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}
