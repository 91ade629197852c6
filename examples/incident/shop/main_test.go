package main

import (
	"net/http/httptest"
	"testing"
)

func TestCartTotals(t *testing.T) {
	w := httptest.NewRecorder()
	cart(w, httptest.NewRequest("GET", "/cart?items=mug,socks", nil))
	if got, want := w.Body.String(), "total: 13.49 USD\n"; got != want {
		t.Fatalf("body = %q, want %q", got, want)
	}
	w = httptest.NewRecorder()
	cart(w, httptest.NewRequest("GET", "/cart?items=nope", nil))
	if w.Code != 404 {
		t.Fatalf("unknown product: status %d", w.Code)
	}
}

func TestCartWithStickerPanics(t *testing.T) {
	defer func() {
		r := recover()
		if err, ok := r.(error); !ok || err.Error() != "one of the specified money values is invalid" {
			t.Fatalf("recovered %v, want the incident panic", r)
		}
	}()
	cart(httptest.NewRecorder(), httptest.NewRequest("GET", "/cart?items=mug,sticker", nil))
	t.Fatal("cart with the sticker did not panic")
}
