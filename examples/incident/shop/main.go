// Command shop is the incident demo's Go web shop: an HTTP frontend whose
// /cart handler sums the prices of the products in a cart. Carts holding the
// mis-priced sticker make it panic with "one of the specified money values
// is invalid" — the production incident that gobpftrace's demo diagnoses.
//
// It prints "listening on ADDR" once it serves, so a driver can find it.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"strings"

	"github.com/gobpftrace/gobpftrace/examples/incident/shop/catalog"
	"github.com/gobpftrace/gobpftrace/examples/incident/shop/money"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/cart", cart)
	mux.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	fmt.Printf("listening on %s\n", ln.Addr())
	log.Fatal(http.Serve(ln, mux))
}

// cart answers /cart?items=mug,socks with the cart's total. A panic in a
// handler is caught by net/http, which logs it and drops the connection:
// the client sees an error, the log sees only the panic message.
func cart(w http.ResponseWriter, r *http.Request) {
	total := money.Money{CurrencyCode: "USD"}
	for _, id := range strings.Split(r.URL.Query().Get("items"), ",") {
		p, ok := catalog.Lookup(id)
		if !ok {
			http.Error(w, "unknown product "+id, http.StatusNotFound)
			return
		}
		total = money.Must(money.Sum(total, p.Price))
	}
	fmt.Fprintf(w, "total: %d.%02d %s\n", total.Units, total.Nanos/10_000_000, total.CurrencyCode)
}
