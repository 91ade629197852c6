package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
	"github.com/gobpftrace/gobpftrace/runtime"
)

// TestIncidentDemo runs the whole demo against a live shop: the invalid
// sticker price must be found, with its caller, and nothing of ours may
// stay loaded in the kernel afterwards.
func TestIncidentDemo(t *testing.T) {
	testenv.RequireBPF(t)
	before, err := runtime.LoadedObjects(runtime.NamePrefix)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out strings.Builder
	if err := run(ctx, &out, 2*time.Second); err != nil {
		t.Fatalf("demo failed: %v\n%s", err, out.String())
	}
	got := out.String()
	// Each cart holding the sticker makes one invalid call: 2 carts, 2 rounds.
	invalid := regexp.MustCompile(`(?m)^\S+ +1 +-10000000  INVALID money\.Sum < main\.cart$`)
	if n := len(invalid.FindAllString(got, -1)); n != 4 {
		t.Errorf("%d invalid rows, want 4:\n%s", n, got)
	}
	for _, want := range []string{
		"with an invalid value.",
		"The culprit: Money{Units: 1, Nanos: -10000000}",
		"examples/incident/shop/money.IsValid+0\n",
		"main.cart+",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	// The args script (no registers) finds the same invalid calls.
	if n := strings.Count(got, "money.IsValid returned false for Money{Units: 1, Nanos: -10000000}\n"); n != 4 {
		t.Errorf("args script found %d invalid calls, want 4:\n%s", n, got)
	}
	if !regexp.MustCompile(`args script: [1-9]\d* calls of money.IsValid \(currencies USD\), 4 returned false`).MatchString(got) {
		t.Errorf("args script summary missing:\n%s", got)
	}
	if !regexp.MustCompile(`(?m)^\S+ +8 +990000000  ok `).MatchString(got) {
		t.Errorf("no valid mug price in the table:\n%s", got)
	}
	waitUnloaded(t, before)
}

// waitUnloaded fails if programs of ours are still loaded after a second
// (the kernel frees them asynchronously).
func waitUnloaded(t *testing.T, before []string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		after, err := runtime.LoadedObjects(runtime.NamePrefix)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) <= len(before) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still loaded after the demo: %v (before: %v)", after, before)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
