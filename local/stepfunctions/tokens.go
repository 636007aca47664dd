package stepfunctions

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"sync"

	"github.com/hitl-go/docsign/local/internal/apierror"
)

// Task tokens are secrets: whoever holds one can complete the task. A token
// is 256 random bits followed by a 128-bit MAC over them under a key drawn
// when the Service starts, base64url-encoded (64 characters). The MAC lets
// the API tell a token this Service issued (answered TaskTimedOut once its
// task has closed, as AWS does) from a malformed or foreign one
// (InvalidToken) without remembering closed tasks. Tokens never appear in
// logs or error messages.

const (
	tokenIDSize  = 32
	tokenMACSize = 16
	tokenLen     = (tokenIDSize + tokenMACSize) / 3 * 4 // base64 without padding
)

type tokenID [tokenIDSize]byte

// tokenWaiter is what an open callback task registers under its token.
type tokenWaiter interface {
	// complete delivers SendTaskSuccess (failed=false) or SendTaskFailure;
	// it reports false when the task closed meanwhile.
	complete(output string, errName, cause string, failed bool) bool
	// heartbeat delivers SendTaskHeartbeat, with the same report.
	heartbeat() bool
}

// tokenRegistry mints task tokens and maps the open ones to their tasks.
type tokenRegistry struct {
	key  [32]byte
	mu   sync.Mutex
	open map[tokenID]tokenWaiter
}

func newTokenRegistry() *tokenRegistry {
	r := &tokenRegistry{open: make(map[tokenID]tokenWaiter)}
	if _, err := rand.Read(r.key[:]); err != nil {
		panic("stepfunctions: no randomness for the task token key: " + err.Error())
	}
	return r
}

// register mints a token for w and records it as open.
func (r *tokenRegistry) register(w tokenWaiter) (string, tokenID) {
	var raw [tokenIDSize + tokenMACSize]byte
	if _, err := rand.Read(raw[:tokenIDSize]); err != nil {
		panic("stepfunctions: no randomness for a task token: " + err.Error())
	}
	var id tokenID
	copy(id[:], raw[:tokenIDSize])
	copy(raw[tokenIDSize:], r.mac(id))
	r.mu.Lock()
	r.open[id] = w
	r.mu.Unlock()
	return base64.RawURLEncoding.EncodeToString(raw[:]), id
}

// close forgets an open token; later calls with it answer TaskTimedOut.
func (r *tokenRegistry) close(id tokenID) {
	r.mu.Lock()
	delete(r.open, id)
	r.mu.Unlock()
}

// lookup returns the open task for token. A token this registry did not
// mint answers InvalidToken; one whose task has closed, TaskTimedOut.
//
// AWS's third answer, TaskDoesNotExist, is documented only as "The
// activity does not exist" (API reference, SendTaskSuccess): it is for
// activity tokens from GetActivityTask. This engine has no activities
// (refused at load), never deletes executions, and lets DeleteStateMachine
// leave running executions and their open tokens alone, so a token that
// verifies is open or closed: TaskDoesNotExist has no case here.
func (r *tokenRegistry) lookup(token string) (tokenWaiter, *APIError) {
	id, ok := r.parse(token)
	if !ok {
		return nil, apierror.New(codeInvalidToken, "Invalid Token: 'Invalid token'")
	}
	r.mu.Lock()
	w := r.open[id]
	r.mu.Unlock()
	if w == nil {
		return nil, apierror.New(codeTaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'")
	}
	return w, nil
}

func (r *tokenRegistry) parse(token string) (tokenID, bool) {
	var id tokenID
	if len(token) != tokenLen {
		return id, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != tokenIDSize+tokenMACSize {
		return id, false
	}
	copy(id[:], raw[:tokenIDSize])
	return id, hmac.Equal(raw[tokenIDSize:], r.mac(id))
}

func (r *tokenRegistry) mac(id tokenID) []byte {
	m := hmac.New(sha256.New, r.key[:])
	m.Write(id[:])
	return m.Sum(nil)[:tokenMACSize]
}

// openCount reports how many tokens are open (for tests and metrics).
func (r *tokenRegistry) openCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.open)
}
