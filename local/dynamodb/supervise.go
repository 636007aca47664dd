package dynamodb

import (
	"context"
	"fmt"
	"time"
)

// A dynalite that exits restartLimit times within restartWindow is not
// started again: something is wrong that a restart does not mend.
const (
	restartLimit   = 3
	restartWindow  = time.Minute
	restartTimeout = 30 * time.Second // for one restart
)

// Failed is closed when the Service has given up on dynalite: it exited
// with its data in memory (gone), exited too often, or could not be
// started again. Err says why. The Service answers ServiceUnavailable from
// then on; its owner should stop.
func (s *Service) Failed() <-chan struct{} { return s.failed }

// Err is why the Service failed, once Failed is closed; nil before.
func (s *Service) Err() error {
	select {
	case <-s.failed:
		return s.failErr
	default:
		return nil
	}
}

// Restart starts dynalite again at once, if it exited and is waiting for
// its restart, and returns when it is up (or the restart failed).
func (s *Service) Restart(ctx context.Context) error {
	reply := make(chan error, 1)
	select {
	case s.restartCh <- reply:
	case <-s.failed:
		return s.failErr
	case <-ctx.Done():
		return fmt.Errorf("restart dynalite: %w", ctx.Err())
	}
	return <-reply
}

// watch waits for dynalite to exit on its own, says so, and restarts it or
// fails the Service. It returns when Stop is called or the Service fails.
func (s *Service) watch() {
	defer close(s.watched)
	var exits []time.Time
	for {
		server := s.current()
		select {
		case <-s.stopping:
			return
		case <-server.Done():
		}
		select {
		case <-s.stopping: // Stop's own doing
			return
		default:
		}
		s.down.Store(true)
		exitErr := server.Stop() // says how it ended, with its last output
		now := time.Now()
		exits = append(exits, now)
		for len(exits) > 0 && now.Sub(exits[0]) > restartWindow {
			exits = exits[1:]
		}
		switch {
		case s.opts.Dir == "":
			s.fail(fmt.Errorf("dynalite exited; its data was in memory and is lost: %w", exitErr))
			return
		case len(exits) >= restartLimit:
			s.fail(fmt.Errorf("dynalite exited %d times within %s; not restarting it: %w", len(exits), restartWindow, exitErr))
			return
		}
		s.logf("dynalite exited unexpectedly; DynamoDB answers ServiceUnavailable until it is restarted on %s: %v", s.opts.Dir, exitErr)
		var reply chan error
		select {
		case <-s.stopping:
			return
		case <-time.After(s.opts.RestartDelay):
		case reply = <-s.restartCh:
		}
		err := s.restart()
		if reply != nil {
			reply <- err
		}
		if err != nil {
			s.fail(err)
			return
		}
	}
}

// restart starts dynalite again on the same data and socket.
func (s *Service) restart() error {
	ctx, cancel := context.WithTimeout(context.Background(), restartTimeout)
	defer cancel()
	server, stale, err := s.launch(ctx)
	if err != nil {
		return fmt.Errorf("dynalite exited and could not be restarted: %w", err)
	}
	s.mu.Lock()
	s.server, s.staleLock = server, stale
	s.mu.Unlock()
	s.down.Store(false)
	s.logf("dynalite restarted (process %d) on %s", server.Pid(), s.opts.Dir)
	return nil
}

// fail gives up on dynalite: requests answer ServiceUnavailable, and
// Failed is closed.
func (s *Service) fail(err error) {
	s.down.Store(true)
	s.failErr = err
	s.logf("%v", err)
	close(s.failed)
}

// downReason is the message of a ServiceUnavailable answer; the log has
// the details.
func (s *Service) downReason() string {
	if s.Err() != nil {
		return "dynalite exited and was not restarted: restart the local stack"
	}
	return "dynalite exited and is being restarted"
}

func (s *Service) logf(format string, args ...any) {
	fmt.Fprintf(s.opts.Stderr, format+"\n", args...)
}
