package stack

import (
	"context"
	"errors"
	"time"
)

// shutdownGrace is how long Close lets requests in flight finish.
const shutdownGrace = 5 * time.Second

// Endpoint is the URL every API and the console answer at, e.g.
// "http://127.0.0.1:4566": the value for AWS_ENDPOINT_URL.
func (s *Stack) Endpoint() string { return s.endpoint }

// Outputs are the stacks' outputs, stack name → output key → value, as
// written to the outputs file.
func (s *Stack) Outputs() map[string]map[string]string { return s.assembly.Outputs() }

// OutputsFile is where the outputs were written.
func (s *Stack) OutputsFile() string { return s.opts.OutputsFile }

// Failed is closed when a service the stack cannot run without has failed
// for good: dynalite exited with its data in memory, or could not be
// restarted. Err says why; the stack answers DynamoDB requests with
// ServiceUnavailable from then on, and its owner should Close it.
func (s *Stack) Failed() <-chan struct{} { return s.dynamo.Failed() }

// Err is why the stack failed, once Failed is closed; nil before.
func (s *Stack) Err() error { return s.dynamo.Err() }

// Close stops serving, then stops every function instance and dynalite,
// and waits for their processes. It is safe to call more than once.
func (s *Stack) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.close() })
	return s.closeErr
}

func (s *Stack) close() error {
	var errs []error
	if s.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		if err := s.server.Shutdown(ctx); err != nil {
			errs = append(errs, s.server.Close())
		}
		cancel()
		<-s.served
	} else {
		errs = append(errs, s.listener.Close())
	}
	if s.host != nil {
		errs = append(errs, s.host.Close())
	}
	if s.dynamo != nil {
		errs = append(errs, s.dynamo.Stop())
	}
	for _, w := range s.logPrefix {
		errs = append(errs, w.Flush())
	}
	return errors.Join(errs...)
}
