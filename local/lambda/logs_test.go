package lambda

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
)

func TestLogLinesArePrefixedAndWhole(t *testing.T) {
	const lines, long = 200, 100_000
	h, logs := newTestHost(t, Options{}, FunctionConfig{Name: "FnA"}, FunctionConfig{Name: "FnB"})
	var wg sync.WaitGroup
	for _, name := range []string{"FnA", "FnB"} {
		for i := range 2 { // two instances of each at once
			wg.Go(func() {
				payload := fmt.Sprintf(`{"action":"log","message":"%s-%d","lines":%d,"long":%d}`, name, i, lines, long)
				if _, err := tryInvoke(h, name, payload); err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()

	lineRE := regexp.MustCompile(`^\[(Fn[AB])\] (Fn[AB])-(\d) (w\d line \d+ =*|split \d done|long (L+))$`)
	counts := map[string]int{}
	for _, line := range strings.Split(strings.TrimSuffix(logs.String(), "\n"), "\n") {
		m := lineRE.FindStringSubmatch(line)
		if m == nil || m[1] != m[2] || (m[5] != "" && len(m[5]) != long) {
			t.Errorf("malformed or misattributed line %.120q", line)
			continue
		}
		counts[m[2]+"-"+m[3]]++
	}
	want := 4*lines + 3 + 1 // four writers, three split lines, one long line
	for _, key := range []string{"FnA-0", "FnA-1", "FnB-0", "FnB-1"} {
		if counts[key] != want {
			t.Errorf("%s: %d lines, want %d", key, counts[key], want)
		}
	}
}

func TestLogPipe(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   []string
	}{
		{"whole lines", []string{"a\nb\n"}, []string{"a", "b"}},
		{"split line", []string{"hel", "lo\nwor", "ld\n"}, []string{"hello", "world"}},
		{"unterminated last line", []string{"a\nb"}, []string{"a", "b"}},
		{"empty line", []string{"\n\nx\n"}, []string{"", "", "x"}},
		{"overlong line is cut", []string{strings.Repeat("y", maxLogLine+5) + "\n"},
			[]string{strings.Repeat("y", maxLogLine), "yyyyy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			p, w, err := newLogPipe(func(line []byte) { got = append(got, string(line)) })
			if err != nil {
				t.Fatal(err)
			}
			go p.run()
			for _, s := range tt.writes {
				w.WriteString(s)
				p.drain() // racing run, in order: both read under the pipe's lock
			}
			w.Close()
			<-p.done
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("lines = %.80q, want %.80q", got, tt.want)
			}
		})
	}
}

func TestLogPipeDrainIsSynchronous(t *testing.T) {
	var got []string
	p, w, err := newLogPipe(func(line []byte) { got = append(got, string(line)) })
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	defer p.r.Close()
	w.WriteString("before the response\npartial")
	p.drain() // no reader goroutine: drain alone must have consumed the line
	if len(got) != 1 || got[0] != "before the response" {
		t.Errorf("after drain: %q, want the one complete line", got)
	}
	p.drain() // an empty pipe returns at once
}
