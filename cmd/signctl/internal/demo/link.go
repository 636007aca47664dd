package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hitl-go/docsign/cmd/signctl/internal/cli"
	"github.com/hitl-go/docsign/cmd/signctl/internal/outbox"
	"github.com/hitl-go/docsign/internal/contract"
)

// signByLink plays Bob's side through his notification: the link read from
// the outbox (the local stand-in for his mailbox), the page fetched as his
// browser does — the code stays in the fragment, which no request carries —
// then the page's answer, posted with the code as the page's script posts it.
func (d *demo) signByLink(ctx context.Context, id, sha256 string) error {
	mail, err := d.waitForMail(ctx, id)
	if err != nil {
		return err
	}
	to := mail.To
	if to == "" {
		to = "(no email subscription: the topic kept it)"
	}
	fmt.Fprintf(d.w, "   mail     to %s: %q\n              %s\n", to, mail.Subject, mail.Link)
	page, code, _ := strings.Cut(mail.Link, "#")
	status, body, err := request(ctx, http.MethodGet, page, nil)
	if err != nil {
		return err
	}
	if status != http.StatusOK || !strings.Contains(string(body), sha256) {
		return demoFailed("the signing page %s answered %d without the pinned SHA-256 %s", page, status, sha256)
	}
	script, _ := url.Parse("../../assets/sign.js") // as the page references it
	base, _ := url.Parse(page)
	status, _, err = request(ctx, http.MethodGet, base.ResolveReference(script).String(), nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.w, "   open     GET %s → %d: the page shows SHA-256 %s; its script (%d) reads the code from the fragment\n",
		page, http.StatusOK, sha256, status)
	answer, _ := json.Marshal(map[string]string{"code": code, "decision": contract.DecisionSign})
	status, body, err = request(ctx, http.MethodPost, page, answer)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.w, "   Bob      presses Sign: POST %s {\"code\":\"%.6s…\",\"decision\":\"sign\"}\n              → %d %s\n",
		page, code, status, bytes.TrimSpace(body))
	if status != http.StatusOK {
		return demoFailed("the signing page refused Bob's answer for %s: %d %s", id, status, body)
	}
	return nil
}

// waitForMail polls the outbox until it holds Bob's notification for id.
func (d *demo) waitForMail(ctx context.Context, id string) (contract.OutboxEntry, error) {
	var mail contract.OutboxEntry
	err := poll(ctx, 30*time.Second, contract.DefaultSigner+"'s notification for "+id, func() (bool, error) {
		entries, err := outbox.Read(ctx, d.endpoint)
		for _, e := range entries {
			if e.DocumentID == id && e.Signer == contract.DefaultSigner && e.Link != "" {
				mail = e
			}
		}
		return mail.Link != "", err
	})
	return mail, err
}

// request sends a request as a browser would, without credentials.
func request(ctx context.Context, method, url string, body []byte) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, b, err
}

func demoFailed(format string, args ...any) error {
	return &cli.Error{Code: "DemoFailed", Exit: cli.ExitError, Msg: fmt.Sprintf(format, args...)}
}
