package money

import (
	"errors"
	"testing"
)

func TestIsValid(t *testing.T) {
	for _, c := range []struct {
		m    Money
		want bool
	}{
		{Money{0, 990_000_000, "USD"}, true},
		{Money{-1, -500_000_000, "USD"}, true},
		{Money{3, 0, "USD"}, true},
		{Money{1, -10_000_000, "USD"}, false}, // the sticker: signs disagree
		{Money{-1, 5, "USD"}, false},
		{Money{0, 1_000_000_000, "USD"}, false},
	} {
		if got := IsValid(c.m); got != c.want {
			t.Errorf("IsValid(%+v) = %v, want %v", c.m, got, c.want)
		}
	}
}

func TestSum(t *testing.T) {
	for _, c := range []struct {
		a, b, want Money
		err        error
	}{
		{Money{1, 600_000_000, "USD"}, Money{2, 700_000_000, "USD"}, Money{4, 300_000_000, "USD"}, nil},
		{Money{1, 0, "USD"}, Money{-1, -500_000_000, "USD"}, Money{0, -500_000_000, "USD"}, nil},
		{Money{-2, 0, "USD"}, Money{0, 500_000_000, "USD"}, Money{-1, -500_000_000, "USD"}, nil},
		{Money{1, 0, "USD"}, Money{1, -10_000_000, "USD"}, Money{}, ErrInvalidValue},
		{Money{1, 0, "USD"}, Money{1, 0, "EUR"}, Money{}, ErrMismatchingCurrency},
	} {
		got, err := Sum(c.a, c.b)
		if got != c.want || !errors.Is(err, c.err) {
			t.Errorf("Sum(%+v, %+v) = %+v, %v; want %+v, %v", c.a, c.b, got, err, c.want, c.err)
		}
	}
}

func TestMustPanicsWithTheIncidentMessage(t *testing.T) {
	defer func() {
		r := recover()
		if err, ok := r.(error); !ok || err.Error() != "one of the specified money values is invalid" {
			t.Fatalf("recovered %v", r)
		}
	}()
	Must(Sum(Money{1, 0, "USD"}, Money{1, -10_000_000, "USD"}))
}
