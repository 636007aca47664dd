package cli

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

// WriteJSON prints v as indented JSON, the --json output of every command.
// encoding/json escapes control characters (ESC as \u001b); the output
// writer escapes the other non-printable ones (escape.go).
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Output prints a command's result: v as JSON with --json, else in words.
func Output(cmd *cobra.Command, asJSON bool, v any, words func(io.Writer)) error {
	if asJSON {
		return WriteJSON(cmd.OutOrStdout(), v)
	}
	words(cmd.OutOrStdout())
	return nil
}

// Timestamp formats t for people and scripts alike: RFC 3339 in UTC, to the
// second; "-" for the zero time.
func Timestamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

// Time is a time that encodes as RFC 3339 (UTC) and is omitted when zero
// (with omitzero).
type Time time.Time

// IsZero reports whether t is the zero time.
func (t Time) IsZero() bool { return time.Time(t).IsZero() }

// MarshalJSON encodes t as RFC 3339 with fractions, in UTC.
func (t Time) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Time(t).UTC().Format(time.RFC3339Nano))
}

// Elapsed formats a duration briefly: 40ms, 12.3s, 2m05s, 3h04m, 7d02h.
func Elapsed(d time.Duration) string {
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

// Relative says how far t is from now: "2m05s ago" or "in 3h04m".
func Relative(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	if t.After(now) {
		return "in " + Elapsed(t.Sub(now))
	}
	return Elapsed(now.Sub(t)) + " ago"
}

// WriteTable prints rows as columns two spaces apart, without trailing
// blanks. Cells are escaped first (Escape), so that a tab or a newline
// inside one cannot break the columns.
func WriteTable(w io.Writer, rows [][]string) {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = Escape(c)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
	for _, line := range strings.SplitAfter(b.String(), "\n") {
		if line != "" {
			io.WriteString(w, strings.TrimRight(line, " \n")+"\n")
		}
	}
}

// ReasonText words a decline's cause.
func ReasonText(cause string) string {
	if cause == "" {
		return "no reason given"
	}
	return "reason: " + cause
}

// ErrorText words an error name and its cause.
func ErrorText(errName, cause string) string {
	switch {
	case errName == "" && cause == "":
		return "no error given"
	case cause == "":
		return errName
	}
	return errName + ": " + cause
}
