// Package dynamodb is the local stack's DynamoDB: dynalite (the DynamoDB API
// on LevelDB, from npm) started on a loopback port, the template's tables
// created in it, and an http.Handler that proxies DynamoDB JSON API requests
// to it unchanged.
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
	// Addr is dynalite's own loopback address; "" picks a free port.
	// Clients use the local stack's endpoint and Handler instead.
	Addr string
	// Stderr receives dynalite's output; nil discards it.
	Stderr io.Writer
	// Region signs the Service's own client; "" is us-east-1.
	Region string
}

// Service is a running dynalite plus a client for it.
type Service struct {
	server    *dynalite.Server
	client    *ddb.Client
	dir       string
	staleLock bool
	proxy     *httputil.ReverseProxy
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
	stale := false
	if opts.Dir != "" {
		if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
			return nil, fmt.Errorf("DynamoDB data directory: %w", err)
		}
		var err error
		if stale, err = clearStaleLock(opts.Dir); err != nil {
			return nil, err
		}
	}
	server, err := dynalite.Start(ctx, dynalite.Options{Dir: opts.Dir, Addr: opts.Addr, Stderr: opts.Stderr})
	if err != nil {
		return nil, err
	}
	s := newService(server, opts, stale)
	if err := s.checkOpen(ctx); err != nil {
		server.Stop()
		s.removePIDFile()
		return nil, err
	}
	return s, nil
}

func newService(server *dynalite.Server, opts Options, stale bool) *Service {
	region := opts.Region
	if region == "" {
		region = "us-east-1"
	}
	target, _ := url.Parse(server.Endpoint())
	return &Service{
		server:    server,
		dir:       opts.Dir,
		staleLock: stale,
		client: ddb.New(ddb.Options{
			Region:       region,
			BaseEndpoint: aws.String(server.Endpoint()),
			Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
		}),
		proxy: newProxy(target),
	}
}

// checkOpen writes the pid file and makes a first request: dynalite answers
// HTTP before LevelDB is open, and exits on the first request if the open
// failed (e.g. another process took the lock meanwhile).
func (s *Service) checkOpen(ctx context.Context) error {
	if s.dir != "" {
		pid := strconv.Itoa(s.server.Pid()) + "\n"
		if err := os.WriteFile(filepath.Join(s.dir, pidFile), []byte(pid), 0o644); err != nil {
			return fmt.Errorf("DynamoDB data directory: %w", err)
		}
	}
	_, err := s.client.ListTables(ctx, &ddb.ListTablesInput{Limit: aws.Int32(1)})
	if err == nil {
		return nil
	}
	if s.dir != "" {
		if pid, herr := lockHolder(s.dir); herr == nil && pid != 0 && pid != s.server.Pid() {
			return &LockedError{Dir: s.dir, PID: pid}
		}
	}
	return fmt.Errorf("dynalite at %s did not open its database: %w", s.server.Endpoint(), err)
}

// Endpoint is dynalite's own URL, e.g. "http://127.0.0.1:45678".
func (s *Service) Endpoint() string { return s.server.Endpoint() }

// Client is a DynamoDB client for dynalite, with dummy credentials.
func (s *Service) Client() *ddb.Client { return s.client }

// StaleLockCleared reports whether Start found and removed the lock of a
// previous run that was killed without stopping dynalite.
func (s *Service) StaleLockCleared() bool { return s.staleLock }

// Stop ends dynalite and marks the data directory as cleanly closed.
func (s *Service) Stop() error {
	err := s.server.Stop()
	s.proxy.Transport.(*http.Transport).CloseIdleConnections()
	s.removePIDFile()
	return err
}

func (s *Service) removePIDFile() {
	if s.dir != "" {
		os.Remove(filepath.Join(s.dir, pidFile))
	}
}

// Matches reports whether r is a DynamoDB JSON API request, for routing.
func Matches(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("X-Amz-Target"), TargetPrefix)
}

// Handler proxies requests to dynalite unchanged — method, path, headers
// (including Host and the signature), body — and streams back its answer,
// after refusing the bodies that would crash dynalite (see guard).
func (s *Service) Handler() http.Handler { return guard(s.proxy) }

func newProxy(target *url.URL) *httputil.ReverseProxy {
	// Every request goes to one loopback host: keep a connection per
	// concurrent caller rather than http.DefaultTransport's two idle ones,
	// which under load opens and closes a connection per request.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 256
	tr.MaxIdleConnsPerHost = 256
	return &httputil.ReverseProxy{
		Transport: tr,
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.Host = pr.In.Host
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			// DynamoDB's own 500, which SDKs retry.
			writeError(w, http.StatusInternalServerError, "com.amazonaws.dynamodb.v20120810#InternalServerError",
				"local DynamoDB unavailable: "+err.Error())
		},
	}
}
