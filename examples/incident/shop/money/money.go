// Package money is the incident demo's arithmetic on prices: an amount of
// money as whole units plus nanos, the way the shop's catalog stores it.
package money

import "errors"

// Money is an amount in one currency: Units whole units plus Nanos
// billionths. A valid value has Nanos in (-1e9, 1e9) and, when both are
// non-zero, Units and Nanos of the same sign ($-1.50 is {-1, -500000000}).
type Money struct {
	Units        int64
	Nanos        int32
	CurrencyCode string
}

const nanosMod = 1_000_000_000

// ErrInvalidValue is what the shop reports when a price breaks the rules
// above. The panic in production carries only this text, not the value.
var ErrInvalidValue = errors.New("one of the specified money values is invalid")

// ErrMismatchingCurrency is returned when two amounts are in different
// currencies.
var ErrMismatchingCurrency = errors.New("mismatching currency codes")

// IsValid reports whether m obeys the sign and range rules.
//
// It is marked noinline so that it stays a real function in the binary: the
// incident script attaches a uprobe to its entry and reads its argument from
// the registers of Go's ABI (Units in RAX, Nanos in RBX). An inlined copy
// would have no entry to probe.
//
//go:noinline
func IsValid(m Money) bool {
	if m.Nanos <= -nanosMod || m.Nanos >= nanosMod {
		return false
	}
	if m.Units > 0 && m.Nanos < 0 || m.Units < 0 && m.Nanos > 0 {
		return false
	}
	return true
}

// Sum adds two amounts of the same currency, carrying nanos into units.
func Sum(a, b Money) (Money, error) {
	if !IsValid(a) || !IsValid(b) {
		return Money{}, ErrInvalidValue
	}
	if a.CurrencyCode != b.CurrencyCode {
		return Money{}, ErrMismatchingCurrency
	}
	units := a.Units + b.Units
	nanos := int64(a.Nanos) + int64(b.Nanos)
	units += nanos / nanosMod
	nanos %= nanosMod
	// Keep units and nanos on the same side of zero.
	if units > 0 && nanos < 0 {
		units--
		nanos += nanosMod
	} else if units < 0 && nanos > 0 {
		units++
		nanos -= nanosMod
	}
	return Money{Units: units, Nanos: int32(nanos), CurrencyCode: a.CurrencyCode}, nil
}

// Must returns m, or panics with err: the shop's handlers use it where a
// bad price "cannot happen".
func Must(m Money, err error) Money {
	if err != nil {
		panic(err)
	}
	return m
}
