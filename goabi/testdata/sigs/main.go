// Command sigs has functions of many signatures for goabi's tests. Each
// function stores its parameters to globals named P__<func>__<param>__<offset>
// (offset: the byte of the parameter the stored word starts at), and main
// stores results to R__<func>__<index>__<offset>, so that the compiler's
// assembly (go build -gcflags=-S) shows which register or stack slot each
// piece is read from.
package main

import (
	"errors"
	"os"
	"unsafe"
)

type Money struct {
	Units        int64
	Nanos        int32
	CurrencyCode string
}

// Msg starts like a generated protobuf message: zero-sized fields first.
type Msg struct {
	_     [0]func()
	state struct{}
	A     int
	B     string
}

type S1 struct {
	A [1]int
	B int
}

type S2 struct {
	A [2]int
	B int
}

func u(p unsafe.Pointer) uintptr { return uintptr(p) }

var (
	P__ints__a__0, P__ints__e__0                 int8
	P__ints__b__0                                int16
	P__ints__f__0                                uint16
	P__ints__c__0                                int32
	P__ints__g__0                                uint32
	P__ints__d__0                                int64
	P__ints__h__0                                uint64
	P__ints__i__0                                uintptr
	P__eleven__a__0, P__eleven__e__0             int
	P__eleven__i__0, P__eleven__j__0             int
	P__eleven__k__0                              int
	P__floats__a__0                              float32
	P__floats__b__0                              float64
	P__floats__c__0                              bool
	P__floats__d__0                              int
	P__str__s__0                                 uintptr
	P__str__s__8                                 int
	P__str__b__0                                 bool
	P__money__m__0                               int64
	P__money__m__8                               int32
	P__money__m__16                              uintptr
	P__money__m__24                              int
	P__ptr__p__0                                 uintptr
	P__ptr__s__0                                 uintptr
	P__ptr__s__8, P__ptr__s__16                  int
	P__iface__e__0                               error
	P__iface__x__0                               any
	P__value__m__0                               int64
	P__value__m__24                              int
	P__pointer__m__0                             uintptr
	P__pointer__n__0                             int64
	P__arr1__s__0, P__arr1__s__8                 int
	P__arr2__s__0, P__arr2__s__16, P__arr2__x__0 int
	P__zsized__m__0, P__zsized__m__16            int
	P__zsized__m__8                              uintptr
	P__zsized__y__0                              int
	P__mixed__a__0                               int
	P__mixed__f__0                               float64
	P__mixed__b__0                               int32
	P__mixed__g__0                               float32
	P__mixed__s__8                               int
	P__mixed__c__0                               complex128
	P__big__a__0, P__big__g__0, P__big__h__0     int
	P__big__m__0                                 int64
	P__big__m__24                                int
	R__multi__0__0                               int
	R__multi__1__0                               float64
	R__multi__2__8                               int
	R__multi__3__0                               error
	R__many__0__0, R__many__8__0, R__many__9__0  int
	R__many__10__0                               int
	sinkAny                                      any
)

//go:noinline
func ints(a int8, b int16, c int32, d int64, e uint8, f uint16, g uint32, h uint64, i uintptr) {
	P__ints__a__0, P__ints__b__0, P__ints__c__0, P__ints__d__0 = a, b, c, d
	P__ints__e__0, P__ints__f__0, P__ints__g__0, P__ints__h__0 = int8(e), f, g, h
	P__ints__i__0 = i
}

//go:noinline
func eleven(a, b, c, d, e, f, g, h, i, j, k int) {
	P__eleven__a__0, P__eleven__e__0, P__eleven__i__0 = a, e, i
	P__eleven__j__0, P__eleven__k__0 = j, k
}

//go:noinline
func floats(a float32, b float64, c bool, d int) {
	P__floats__a__0, P__floats__b__0, P__floats__c__0, P__floats__d__0 = a, b, c, d
}

//go:noinline
func str(s string, b bool) {
	P__str__s__0, P__str__s__8, P__str__b__0 = u(unsafe.Pointer(unsafe.StringData(s))), len(s), b
}

//go:noinline
func money(m Money) {
	P__money__m__0, P__money__m__8 = m.Units, m.Nanos
	P__money__m__16, P__money__m__24 = u(unsafe.Pointer(unsafe.StringData(m.CurrencyCode))), len(m.CurrencyCode)
}

//go:noinline
func ptr(p *Money, s []int) {
	P__ptr__p__0, P__ptr__s__0 = u(unsafe.Pointer(p)), u(unsafe.Pointer(unsafe.SliceData(s)))
	P__ptr__s__8, P__ptr__s__16 = len(s), cap(s)
}

//go:noinline
func iface(e error, x any) {
	P__iface__e__0 = e
	P__iface__x__0 = x
}

//go:noinline
func (m Money) Value() int64 {
	P__value__m__0, P__value__m__24 = m.Units, len(m.CurrencyCode)
	return 0
}

//go:noinline
func (m *Money) Add(n int64) {
	P__pointer__m__0, P__pointer__n__0 = u(unsafe.Pointer(m)), n
}

//go:noinline
func arr1(s S1) { P__arr1__s__0, P__arr1__s__8 = s.A[0], s.B }

//go:noinline
func arr2(s S2, x int) { P__arr2__s__0, P__arr2__s__16, P__arr2__x__0 = s.A[0], s.B, x }

//go:noinline
func zsized(m Msg, y int) {
	P__zsized__m__0, P__zsized__m__8, P__zsized__m__16 = m.A, u(unsafe.Pointer(unsafe.StringData(m.B))), len(m.B)
	P__zsized__y__0 = y
}

//go:noinline
func mixed(a int, f float64, b int32, g float32, s string, c complex128) {
	P__mixed__a__0, P__mixed__f__0, P__mixed__b__0, P__mixed__g__0 = a, f, b, g
	P__mixed__s__8, P__mixed__c__0 = len(s), c
}

//go:noinline
func big(a, b, c, d, e, f, g int, m Money, h int) {
	P__big__a__0, P__big__g__0, P__big__h__0 = a, g, h
	P__big__m__0, P__big__m__24 = m.Units, len(m.CurrencyCode)
}

//go:noinline
func multi(a int) (n int, f float64, s string, err error) {
	if a > 100 {
		return a, 2.5, "many", errors.New("x")
	}
	return a + 1, 1.5, os.Args[0], nil
}

//go:noinline
func many(a int) (int, int, int, int, int, int, int, int, int, int, int) {
	return a, a + 1, a + 2, a + 3, a + 4, a + 5, a + 6, a + 7, a + 8, a + 9, a + 10
}

func main() {
	n := len(os.Args)
	ints(int8(n), 2, 3, 4, 5, 6, 7, 8, 9)
	eleven(n, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
	floats(1.5, 2.5, n > 1, n)
	str(os.Args[0], n > 2)
	m := Money{Units: int64(n), Nanos: 5, CurrencyCode: "EUR"}
	money(m)
	ptr(&m, make([]int, n))
	iface(errors.New("e"), n)
	m.Value()
	m.Add(int64(n))
	arr1(S1{[1]int{n}, 2})
	arr2(S2{[2]int{n, 2}, 3}, 4)
	zsized(Msg{A: n, B: "b"}, 5)
	mixed(n, 1.5, 3, 2.5, "s", complex(1, 2))
	big(n, 2, 3, 4, 5, 6, 7, m, 8)
	R__multi__0__0, R__multi__1__0, _, R__multi__3__0 = multi(n)
	_, _, s, _ := multi(n + 1)
	R__multi__2__8 = len(s)
	R__many__0__0, _, _, _, _, _, _, _, R__many__8__0, R__many__9__0, R__many__10__0 = many(n)
}
