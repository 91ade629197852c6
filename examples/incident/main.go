// Command incident is gobpftrace's main demo: a Go web shop panics with
// "one of the specified money values is invalid" and its logs do not say
// which value. The demo builds and starts the shop, drives some traffic,
// attaches the incident script to the live process through the library
// API, decodes each record into a Go struct and prints them as a table,
// pointing out the invalid value. It exits by itself after a few seconds,
// leaving nothing attached.
//
//	sudo go run ./examples/incident
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := run(ctx, os.Stdout, 3*time.Second); err != nil {
		fmt.Fprintln(os.Stderr, "incident:", err)
		os.Exit(1)
	}
}

// run is the whole demo; ttl is how long the script stays attached.
func run(ctx context.Context, w io.Writer, ttl time.Duration) error {
	dir, err := os.MkdirTemp("", "incident")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin, err := buildShop(ctx, dir)
	if err != nil {
		return err
	}
	shop, err := startShop(bin)
	if err != nil {
		return err
	}
	defer shop.stop()
	fmt.Fprintf(w, "shop %s running as pid %d on %s\n", bin, shop.pid(), shop.addr)

	rows, err := trace(ctx, bin, shop, ttl)
	if err != nil {
		return err
	}
	printTable(w, rows)

	fmt.Fprintf(w, "\nThe same question without registers: args.m by name, goid, retval.\n")
	argRows, err := traceArgs(ctx, bin, shop, ttl)
	if err != nil {
		return err
	}
	printArgs(w, argRows)
	return nil
}
