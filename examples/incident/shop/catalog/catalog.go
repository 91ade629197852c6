// Package catalog is the incident demo shop's product list, with the
// mistake that causes the incident: a new product whose price was entered
// with units and nanos of opposite signs.
package catalog

import "github.com/gobpftrace/gobpftrace/examples/incident/shop/money"

// Product is one item for sale.
type Product struct {
	ID    string
	Name  string
	Price money.Money
}

// Products is the catalog, keyed by product ID.
var Products = map[string]Product{
	"mug":     {"mug", "Coffee mug", money.Money{Units: 8, Nanos: 990_000_000, CurrencyCode: "USD"}},
	"tshirt":  {"tshirt", "T-shirt", money.Money{Units: 19, Nanos: 0, CurrencyCode: "USD"}},
	"socks":   {"socks", "Socks", money.Money{Units: 4, Nanos: 500_000_000, CurrencyCode: "USD"}},
	"sunglas": {"sunglas", "Sunglasses", money.Money{Units: 18, Nanos: 990_000_000, CurrencyCode: "USD"}},
	// New this week. $0.99 should be {Units: 0, Nanos: 990000000}; someone
	// typed "1 dollar minus 1 cent" instead. IsValid rejects it, and the
	// cart handler panics with a message that does not say which value.
	"sticker": {"sticker", "Sticker", money.Money{Units: 1, Nanos: -10_000_000, CurrencyCode: "USD"}},
}

// Lookup returns a product by ID.
func Lookup(id string) (Product, bool) {
	p, ok := Products[id]
	return p, ok
}
