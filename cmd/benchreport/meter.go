package main

import (
	"os"
	"sync"
	"time"
)

// sampleEvery is how often the meter sums the stack's resident memory;
// every rediscoverEvery-th sample it walks the process tree again (walking
// it costs far more than reading each known process's memory).
const (
	sampleEvery     = 100 * time.Millisecond
	rediscoverEvery = 10
)

// usage is what the local stack used during a measured window.
type usage struct {
	Wall time.Duration
	// PeakRSS is the largest sum of VmRSS over the stack's processes seen
	// in a sample; PeakByPart is each part's own largest sum.
	PeakRSS    int64
	PeakByPart map[string]int64
	// SumHWM adds each process's own peak (VmHWM) at the end: an upper
	// bound, as the peaks need not coincide.
	SumHWM int64
	// CPU is the CPU time each part used in the window; Procs how many
	// processes each part had at the end.
	CPU   map[string]time.Duration
	Procs map[string]int
	// MachineBusy is the CPU time the whole machine used in the window,
	// other people's processes included.
	MachineBusy time.Duration
}

// meter samples the process tree of this process (which runs the stack)
// without the subtree of one process (the bench client).
type meter struct {
	skip  int
	label func(proc) string
	begin time.Time
	cpu0  map[int]time.Duration
	busy0 time.Duration
	stopc chan struct{}
	done  chan struct{}

	known   []proc // the tree as last walked
	samples int

	mu sync.Mutex
	u  usage
}

func startMeter(skip int, label func(proc) string) *meter {
	m := &meter{skip: skip, label: label, begin: time.Now(), cpu0: map[int]time.Duration{}, busy0: machineBusy(),
		stopc: make(chan struct{}), done: make(chan struct{}), u: usage{PeakByPart: map[string]int64{}}}
	m.known = tree(os.Getpid(), skip)
	for _, p := range m.known {
		m.cpu0[p.PID] = p.CPU
	}
	go m.loop()
	return m
}

func (m *meter) loop() {
	defer close(m.done)
	t := time.NewTicker(sampleEvery)
	defer t.Stop()
	for {
		m.sample()
		select {
		case <-m.stopc:
			return
		case <-t.C:
		}
	}
}

// sample adds one reading of the tree's resident memory.
func (m *meter) sample() {
	if m.samples%rediscoverEvery == 0 {
		m.known = tree(os.Getpid(), m.skip)
	}
	m.samples++
	var total int64
	byPart := map[string]int64{}
	for _, p := range m.known {
		if rss, ok := residentBytes(p.PID); ok {
			total += rss
			byPart[m.label(p)] += rss
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.u.PeakRSS = max(m.u.PeakRSS, total)
	for k, v := range byPart {
		m.u.PeakByPart[k] = max(m.u.PeakByPart[k], v)
	}
}

// stop ends sampling and returns the window's usage.
func (m *meter) stop() usage {
	close(m.stopc)
	<-m.done
	m.samples = 0 // walk the tree once more: it has the CPU times and peaks
	m.sample()
	procs := m.known
	m.mu.Lock()
	defer m.mu.Unlock()
	u := m.u
	u.Wall = time.Since(m.begin)
	u.MachineBusy = machineBusy() - m.busy0
	u.CPU, u.Procs = map[string]time.Duration{}, map[string]int{}
	for _, p := range procs {
		part := m.label(p)
		u.CPU[part] += p.CPU - m.cpu0[p.PID] // a process started in the window had 0
		u.Procs[part]++
		u.SumHWM += p.HWM
	}
	return u
}

// snapshot returns the tree's resident memory now, in total and by part.
func snapshot(label func(proc) string) (int64, map[string]int64) {
	var total int64
	byPart := map[string]int64{}
	for _, p := range tree(os.Getpid(), 0) {
		total += p.RSS
		byPart[label(p)] += p.RSS
	}
	return total, byPart
}
