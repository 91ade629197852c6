package output

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestStrftimeAgainstDate compares every supported conversion with GNU
// date's strftime for a few instants in UTC.
func TestStrftimeAgainstDate(t *testing.T) {
	date, err := exec.LookPath("date")
	if err != nil {
		t.Fatal("no date command")
	}
	const format = "%a %A %b %B %c|%C %d %D %e %F %H %I %j %k %l %m %M %p %r %R %s %S %T %u %w %x %X %y %Y %z %Z %% %h"
	for _, unix := range []int64{0, 951782400, 1700000000, 1764144000 + 13*3600 + 5} {
		cmd := exec.Command(date, "-u", "-d", "@"+itoa(unix), "+"+format)
		cmd.Env = []string{"LC_ALL=C", "TZ=UTC"}
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		want := strings.TrimSuffix(string(out), "\n")
		got := string(AppendStrftime(nil, format, time.Unix(unix, 0).UTC()))
		if got != want {
			t.Errorf("%d:\ngot  %s\nwant %s", unix, got, want)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestStrftimeEdges(t *testing.T) {
	at := time.Date(2026, 1, 2, 0, 7, 9, 0, time.UTC)
	for format, want := range map[string]string{
		"":           "",
		"plain":      "plain",
		"%":          "%",
		"100%%":      "100%",
		"%Q unknown": "%Q unknown",
		"%I %l %p":   "12 12 AM",
		"%H:%M:%S\n": "00:07:09\n",
	} {
		if got := string(AppendStrftime(nil, format, at)); got != want {
			t.Errorf("%q: got %q, want %q", format, got, want)
		}
	}
}
