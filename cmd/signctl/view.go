package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// writeJSON prints v as indented JSON, the --json output of every command.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// output prints a command's result: v as JSON with --json, else in words.
func output(cmd *cobra.Command, asJSON bool, v any, words func(io.Writer)) error {
	if asJSON {
		return writeJSON(cmd.OutOrStdout(), v)
	}
	words(cmd.OutOrStdout())
	return nil
}

// timestamp formats t for people and scripts alike: RFC 3339 in UTC, to the
// second; "-" for the zero time.
func timestamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

// jsonTime is a time that encodes as RFC 3339 (UTC) and is omitted when zero
// (with omitzero).
type jsonTime time.Time

func (t jsonTime) IsZero() bool { return time.Time(t).IsZero() }

func (t jsonTime) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Time(t).UTC().Format(time.RFC3339Nano))
}

// elapsed formats a duration briefly: 40ms, 12.3s, 2m05s, 3h04m, 7d02h.
func elapsed(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%dms", max(d, 0).Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd%02dh", int(d.Hours())/24, int(d.Hours())%24)
}

// relative says how far t is from now: "2m05s ago" or "in 3h04m".
func relative(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	if t.After(now) {
		return "in " + elapsed(t.Sub(now))
	}
	return elapsed(now.Sub(t)) + " ago"
}

// writeTable prints rows as columns two spaces apart, without trailing blanks.
func writeTable(w io.Writer, rows [][]string) {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
	for _, line := range strings.SplitAfter(b.String(), "\n") {
		if line != "" {
			io.WriteString(w, strings.TrimRight(line, " \n")+"\n")
		}
	}
}
