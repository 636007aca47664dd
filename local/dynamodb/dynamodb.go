// Package dynamodb is the local stack's DynamoDB: dynalite (the DynamoDB API
// on LevelDB, from npm) started on a Unix socket in a private directory, the
// template's tables created in it, and an http.Handler that proxies DynamoDB
// JSON API requests to it unchanged. dynalite has no port: only this
// process reaches it, so no browser page (cross-site or DNS-rebinding) can
// read its data or send it the bodies that crash it, which the Handler's
// guard refuses.
//
// When dynalite exits on its own, the Service says so on Stderr, answers
// ServiceUnavailable meanwhile, and starts it again on the same data; with
// the data in memory (lost), or after restartLimit exits within
// restartWindow, it fails instead (see Failed).
//
// Data lives in a directory, so a restart keeps it, or in memory. A lock left
// by a run that was killed before it could stop dynalite is detected and
// cleared; a directory a live process still uses is refused with
// *LockedError. dynalite does not verify request signatures (it only checks
// that an AWS4 Authorization header is present), so clients may sign for the
// public endpoint's host and any credentials.
package dynamodb

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/hitl-go/docsign/internal/dynalite"
)

// TargetPrefix starts the X-Amz-Target header of every DynamoDB JSON API request.
const TargetPrefix = "DynamoDB_20120810."

// pidFile, written into the data directory while dynalite runs, tells the
// next start whether the previous run stopped it (no file) or was killed.
// LevelDB ignores files whose names it does not recognise.
const pidFile = "dynalite.pid"

// Options configure Start.
type Options struct {
	// Dir holds the LevelDB data (created if missing); "" keeps it in memory.
	Dir string
	// Stderr receives dynalite's output and the Service's word on its
	// exits and restarts; nil discards them.
	Stderr io.Writer
	// Region signs the Service's own client; "" is us-east-1.
	Region string
	// RestartDelay is how long after dynalite exits on its own it is started
	// again (unless Restart comes first); 0 means DefaultRestartDelay.
	RestartDelay time.Duration
}

// DefaultRestartDelay is Options.RestartDelay's default.
const DefaultRestartDelay = 500 * time.Millisecond

// Service is a running dynalite plus a client for it.
type Service struct {
	opts    Options
	sockDir string // private (0700): dynalite's socket
	client  *ddb.Client
	proxy   *httputil.ReverseProxy

	mu        sync.Mutex
	server    *dynalite.Server // the running one, replaced by a restart
	staleLock bool

	down      atomic.Bool   // dynalite exited: answer ServiceUnavailable
	failed    chan struct{} // closed when the Service gives up
	failErr   error         // why, set before failed is closed
	stopping  chan struct{} // closed by Stop
	stopOnce  sync.Once
	watched   chan struct{} // closed when watch returns
	restartCh chan chan error
}

// LockedError reports that a live process holds the LevelDB lock on Dir.
type LockedError struct {
	Dir string
	PID int
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("DynamoDB data directory %s is in use by process %d (another local stack?): stop it or choose another directory", e.Dir, e.PID)
}

// Start clears a stale lock in opts.Dir, starts dynalite and checks that its
// database opened. ctx bounds the start-up only.
func Start(ctx context.Context, opts Options) (*Service, error) {
	if opts.RestartDelay == 0 {
		opts.RestartDelay = DefaultRestartDelay
	}
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	sockDir, err := os.MkdirTemp("", "dynalite-") // 0700
	if err != nil {
		return nil, fmt.Errorf("dynalite socket directory: %w", err)
	}
	s := newService(opts, sockDir)
	server, stale, err := s.launch(ctx)
	if err != nil {
		os.RemoveAll(sockDir)
		return nil, err
	}
	s.server, s.staleLock = server, stale
	go s.watch()
	return s, nil
}

func newService(opts Options, sockDir string) *Service {
	region := opts.Region
	if region == "" {
		region = "us-east-1"
	}
	// One transport for every dynalite this Service starts: they all
	// listen on the same socket path.
	tr := dynalite.SocketTransport(filepath.Join(sockDir, socketName))
	return &Service{
		opts:    opts,
		sockDir: sockDir,
		client: ddb.New(ddb.Options{
			Region:       region,
			BaseEndpoint: aws.String(endpoint),
			Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
			HTTPClient:   &http.Client{Transport: tr},
		}),
		proxy:     newProxy(&url.URL{Scheme: "http", Host: "dynalite"}, tr),
		failed:    make(chan struct{}),
		stopping:  make(chan struct{}),
		watched:   make(chan struct{}),
		restartCh: make(chan chan error),
	}
}

// endpoint is the URL the Service's client and proxy name; they dial
// dynalite's socket, socketName in the Service's private directory,
// whatever it says.
const (
	endpoint   = "http://dynalite"
	socketName = "dynalite.sock"
)

// launch clears a stale lock in Dir, starts dynalite and checks that its
// database opened.
func (s *Service) launch(ctx context.Context) (server *dynalite.Server, stale bool, err error) {
	if dir := s.opts.Dir; dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, false, fmt.Errorf("DynamoDB data directory: %w", err)
		}
		if stale, err = clearStaleLock(dir); err != nil {
			return nil, false, err
		}
	}
	server, err = dynalite.Start(ctx, dynalite.Options{Dir: s.opts.Dir, Socket: filepath.Join(s.sockDir, socketName),
		Stderr: s.opts.Stderr})
	if err != nil {
		return nil, false, err
	}
	if err := s.checkOpen(ctx, server); err != nil {
		server.Stop()
		s.removePIDFile()
		return nil, false, err
	}
	return server, stale, nil
}

// checkOpen writes the pid file and makes a first request: dynalite answers
// HTTP before LevelDB is open, and exits on the first request if the open
// failed (e.g. another process took the lock meanwhile).
func (s *Service) checkOpen(ctx context.Context, server *dynalite.Server) error {
	dir := s.opts.Dir
	if dir != "" {
		pid := strconv.Itoa(server.Pid()) + "\n"
		if err := os.WriteFile(filepath.Join(dir, pidFile), []byte(pid), 0o600); err != nil {
			return fmt.Errorf("DynamoDB data directory: %w", err)
		}
	}
	_, err := s.client.ListTables(ctx, &ddb.ListTablesInput{Limit: aws.Int32(1)})
	if err == nil {
		return nil
	}
	if dir != "" {
		if pid, herr := lockHolder(dir); herr == nil && pid != 0 && pid != server.Pid() {
			return &LockedError{Dir: dir, PID: pid}
		}
	}
	return fmt.Errorf("dynalite on %s did not open its database: %w", server.Socket(), err)
}

// Socket is the Unix socket dynalite listens on, in a directory only this
// user may open.
func (s *Service) Socket() string { return filepath.Join(s.sockDir, socketName) }

// current is the running dynalite (or the last one, while it is down).
func (s *Service) current() *dynalite.Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.server
}

// Client is a DynamoDB client for dynalite, with dummy credentials.
func (s *Service) Client() *ddb.Client { return s.client }

// StaleLockCleared reports whether Start found and removed the lock of a
// previous run that was killed without stopping dynalite.
func (s *Service) StaleLockCleared() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.staleLock
}

// Stop ends dynalite and marks the data directory as cleanly closed. It
// returns an error if dynalite had exited on its own and was not restarted.
func (s *Service) Stop() error {
	s.stopOnce.Do(func() { close(s.stopping) })
	<-s.watched // no restart after this
	err := s.current().Stop()
	s.proxy.Transport.(*http.Transport).CloseIdleConnections()
	s.removePIDFile()
	os.RemoveAll(s.sockDir)
	return err
}

func (s *Service) removePIDFile() {
	if s.opts.Dir != "" {
		os.Remove(filepath.Join(s.opts.Dir, pidFile))
	}
}

// Matches reports whether r is a DynamoDB JSON API request, for routing.
func Matches(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("X-Amz-Target"), TargetPrefix)
}

// Handler proxies requests to dynalite unchanged — method, path, headers
// (including Host and the signature), body — and streams back its answer,
// after refusing the bodies that would crash dynalite (see guard). While
// dynalite is down it answers ServiceUnavailable (503), which SDKs retry.
func (s *Service) Handler() http.Handler {
	guarded := guard(s.proxy)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.down.Load() {
			writeUnavailable(w, s.downReason())
			return
		}
		guarded.ServeHTTP(w, r)
	})
}

func writeUnavailable(w http.ResponseWriter, why string) {
	writeError(w, http.StatusServiceUnavailable, "com.amazonaws.dynamodb.v20120810#ServiceUnavailable",
		"local DynamoDB unavailable: "+why)
}

func newProxy(target *url.URL, tr *http.Transport) *httputil.ReverseProxy {
	// Every request goes to one socket: keep a connection per concurrent
	// caller rather than http.DefaultTransport's two idle ones, which under
	// load opens and closes a connection per request.
	tr.MaxIdleConns = 256
	tr.MaxIdleConnsPerHost = 256
	return &httputil.ReverseProxy{
		Transport: tr,
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.Host = pr.In.Host
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			// dynalite is not there (it just exited, before watch noticed).
			writeUnavailable(w, err.Error())
		},
	}
}
