package output

// mapCase is a BEGIN program whose maps bpftrace prints at exit, and the
// maps the runtime would read for it.
type mapCase struct {
	name string
	body string // statements before exit()
	maps func() []*Map
	// print, when set, renders what the program prints before exit (a
	// print() call) for text (json false) or JSON output.
	print func(json bool) []byte
}

func (c *mapCase) script() string { return "BEGIN { " + c.body + " exit(); }" }

func k(vs ...Value) []Value { return vs }

func hist(vals ...int64) []uint64 {
	b := make([]uint64, HistBuckets)
	for _, v := range vals {
		b[HistIndex(v)]++
	}
	return b
}

func lhist(p LhistParams, vals ...int64) []uint64 {
	b := make([]uint64, LhistBuckets(p.Min, p.Max, p.Step))
	for _, v := range vals {
		b[LhistIndex(v, p.Min, p.Max, p.Step)]++
	}
	return b
}

func stats(vals ...int64) Entry {
	var e Entry
	for _, v := range vals {
		e.Count++
		e.Total += v
	}
	return e
}

func withKeys(e Entry, keys ...Value) Entry { e.Keys = keys; return e }

var (
	l0_10_2   = LhistParams{0, 10, 2}
	l0_100_10 = LhistParams{0, 100, 10}
	lKM       = LhistParams{2048, 4194304, 1048576}
)

var mapCases = []mapCase{
	{name: "brief",
		body: `@c[1] = count(); @c[2] = count(); @c[2] = count(); @h = hist(5); @l = lhist(3, 0, 10, 2); @s = stats(4); @a = avg(7); @m["x"] = 3;`,
		maps: func() []*Map {
			return []*Map{
				{Name: "@c", Kind: Count, Entries: []Entry{{Keys: k(Int(2)), Value: Uint(2)}, {Keys: k(Int(1)), Value: Uint(1)}}},
				{Name: "@h", Kind: Hist, Entries: []Entry{{Buckets: hist(5)}}},
				{Name: "@l", Kind: Lhist, Lhist: l0_10_2, Entries: []Entry{{Buckets: lhist(l0_10_2, 3)}}},
				{Name: "@s", Kind: Stats, Entries: []Entry{stats(4)}},
				{Name: "@a", Kind: Avg, Entries: []Entry{stats(7)}},
				{Name: "@m", Kind: Integer, Entries: []Entry{{Keys: k(Str("x")), Value: Int(3)}}},
			}
		}},
	{name: "count_sorted",
		body: `@c[1] = count(); @c[2] = count(); @c[2] = count(); @c[2] = count(); @c[3] = count(); @c[3] = count();`,
		maps: func() []*Map {
			return []*Map{{Name: "@c", Kind: Count, Entries: []Entry{
				{Keys: k(Int(3)), Value: Uint(2)}, {Keys: k(Int(1)), Value: Uint(1)}, {Keys: k(Int(2)), Value: Uint(3)}}}}
		}},
	{name: "sum_negative",
		body: `@s["a"] = sum(-5); @s["b"] = sum(10); @s["c"] = sum(3); @s["c"] = sum(-1);`,
		maps: func() []*Map {
			return []*Map{{Name: "@s", Kind: Sum, Entries: []Entry{
				{Keys: k(Str("b")), Value: Int(10)}, {Keys: k(Str("a")), Value: Int(-5)}, {Keys: k(Str("c")), Value: Int(2)}}}}
		}},
	{name: "string_values_int_keys",
		body: `@n[10] = "ten"; @n[2] = "two"; @n[-1] = "neg"; @n[0] = "zero";`,
		maps: func() []*Map {
			return []*Map{{Name: "@n", Kind: String, Entries: []Entry{
				{Keys: k(Int(-1)), Value: Str("neg")}, {Keys: k(Int(10)), Value: Str("ten")},
				{Keys: k(Int(2)), Value: Str("two")}, {Keys: k(Int(0)), Value: Str("zero")}}}}
		}},
	{name: "multi_key",
		body: `@t[1, "b"] = "x"; @t[1, "a"] = "y"; @t[0, "z"] = "w";`,
		maps: func() []*Map {
			return []*Map{{Name: "@t", Kind: String, Entries: []Entry{
				{Keys: k(Int(1), Str("b")), Value: Str("x")}, {Keys: k(Int(1), Str("a")), Value: Str("y")},
				{Keys: k(Int(0), Str("z")), Value: Str("w")}}}}
		}},
	{name: "tuple_and_strings",
		body: `@tv = (1, "abc", -2); @str = "hello"; @sk["k"] = "v"; @q["a\"b"] = 1;`,
		maps: func() []*Map {
			return []*Map{
				{Name: "@tv", Kind: Tuple, Entries: []Entry{{Value: TupleOf(Int(1), Str("abc"), Int(-2))}}},
				{Name: "@str", Kind: String, Entries: []Entry{{Value: Str("hello")}}},
				{Name: "@sk", Kind: String, Entries: []Entry{{Keys: k(Str("k")), Value: Str("v")}}},
				{Name: "@q", Kind: Integer, Entries: []Entry{{Keys: k(Str(`a"b`)), Value: Int(1)}}},
			}
		}},
	{name: "hist_buckets",
		body: `@h = hist(0); @h = hist(1); @h = hist(2); @h = hist(3); @h = hist(100); @h = hist(100); @h = hist(-5); @h = hist(70000);`,
		maps: func() []*Map {
			return []*Map{{Name: "@h", Kind: Hist, Entries: []Entry{{Buckets: hist(0, 1, 2, 3, 100, 100, -5, 70000)}}}}
		}},
	{name: "hist_keyed",
		body: `@h[1] = hist(-1); @h[2] = hist(0); @h[2] = hist(1); @h[3] = hist(1000000); @h[3] = hist(2000); @h[3] = hist(2000);`,
		maps: func() []*Map {
			return []*Map{{Name: "@h", Kind: Hist, Entries: []Entry{
				{Keys: k(Int(3)), Buckets: hist(1000000, 2000, 2000)}, {Keys: k(Int(1)), Buckets: hist(-1)},
				{Keys: k(Int(2)), Buckets: hist(0, 1)}}}}
		}},
	{name: "hist_ties_raw_key_order",
		body: `@h[1] = hist(1); @h[256] = hist(1); @h[2] = hist(1); @h[-1] = hist(3);`,
		maps: func() []*Map {
			return []*Map{{Name: "@h", Kind: Hist, Entries: []Entry{
				{Keys: k(Int(1)), Buckets: hist(1)}, {Keys: k(Int(2)), Buckets: hist(1)},
				{Keys: k(Int(256)), Buckets: hist(1)}, {Keys: k(Int(-1)), Buckets: hist(3)}}}}
		}},
	{name: "hist_large",
		body: `@h = hist(1<<40); @h = hist(1<<31); @h = hist(1<<30); @h = hist(1<<33);`,
		maps: func() []*Map {
			return []*Map{{Name: "@h", Kind: Hist, Entries: []Entry{{Buckets: hist(1<<40, 1<<31, 1<<30, 1<<33)}}}}
		}},
	{name: "lhist_outer",
		body: `@l[2] = lhist(-3, 0, 100, 10); @l[2] = lhist(1000, 0, 100, 10); @l[1] = lhist(5, 0, 100, 10); @l[1] = lhist(55, 0, 100, 10); @l[1] = lhist(55, 0, 100, 10);`,
		maps: func() []*Map {
			return []*Map{{Name: "@l", Kind: Lhist, Lhist: l0_100_10, Entries: []Entry{
				{Keys: k(Int(2)), Buckets: lhist(l0_100_10, -3, 1000)}, {Keys: k(Int(1)), Buckets: lhist(l0_100_10, 5, 55, 55)}}}}
		}},
	{name: "lhist_labels",
		body: `@l = lhist(5000000, 2048, 4194304, 1048576); @l = lhist(3000, 2048, 4194304, 1048576); @l = lhist(1, 2048, 4194304, 1048576);`,
		maps: func() []*Map {
			return []*Map{{Name: "@l", Kind: Lhist, Lhist: lKM, Entries: []Entry{{Buckets: lhist(lKM, 5000000, 3000, 1)}}}}
		}},
	{name: "stats_keyed",
		body: `@s["a"] = stats(10); @s["a"] = stats(20); @s["b"] = stats(1); @s["c"] = stats(-9);`,
		maps: func() []*Map {
			return []*Map{{Name: "@s", Kind: Stats, Entries: []Entry{
				withKeys(stats(10, 20), Str("a")), withKeys(stats(1), Str("b")), withKeys(stats(-9), Str("c"))}}}
		}},
	{name: "avg_keyed",
		body: `@a[1] = avg(-10); @a[2] = avg(5); @a[2] = avg(6); @a[3] = avg(100); @m[1, 2] = stats(10);`,
		maps: func() []*Map {
			return []*Map{
				{Name: "@a", Kind: Avg, Entries: []Entry{
					withKeys(stats(100), Int(3)), withKeys(stats(-10), Int(1)), withKeys(stats(5, 6), Int(2))}},
				{Name: "@m", Kind: Stats, Entries: []Entry{withKeys(stats(10), Int(1), Int(2))}},
			}
		}},
	{name: "min_max",
		body: `@mn = min(5); @mn = min(3); @mx = max(5); @mx = max(9); @mk[1] = max(7); @mk[2] = max(2);`,
		maps: func() []*Map {
			return []*Map{
				{Name: "@mn", Kind: Min, Entries: []Entry{{Value: Int(3)}}},
				{Name: "@mx", Kind: Max, Entries: []Entry{{Value: Uint(9)}}},
				{Name: "@mk", Kind: Max, Entries: []Entry{{Keys: k(Int(1)), Value: Uint(7)}, {Keys: k(Int(2)), Value: Uint(2)}}},
			}
		}},
	{name: "empty_map",
		body: `@e[1] = 1; delete(@e[1]); @z = 5;`,
		maps: func() []*Map {
			return []*Map{{Name: "@e", Kind: Integer}, {Name: "@z", Kind: Integer, Entries: []Entry{{Value: Int(5)}}}}
		}},
	{name: "print_top_div",
		body: `@c[1] = sum(100); @c[2] = sum(2000); @c[3] = sum(30); print(@c, 2, 10);`,
		maps: func() []*Map {
			return []*Map{{Name: "@c", Kind: Sum, Entries: []Entry{
				{Keys: k(Int(1)), Value: Int(100)}, {Keys: k(Int(2)), Value: Int(2000)}, {Keys: k(Int(3)), Value: Int(30)}}}}
		},
		print: func(json bool) []byte {
			m := &Map{Name: "@c", Kind: Sum, Entries: []Entry{
				{Keys: k(Int(1)), Value: Int(100)}, {Keys: k(Int(2)), Value: Int(2000)}, {Keys: k(Int(3)), Value: Int(30)}}}
			if json {
				return AppendMapJSON(nil, m, PrintOptions{Top: 2, Div: 10})
			}
			return AppendMap(nil, m, PrintOptions{Top: 2, Div: 10})
		}},
	{name: "hist_print_div",
		body: `@h = hist(10); @h = hist(10); @h = hist(10); @h = hist(100); print(@h, 0, 2);`,
		maps: func() []*Map {
			return []*Map{{Name: "@h", Kind: Hist, Entries: []Entry{{Buckets: hist(10, 10, 10, 100)}}}}
		},
		print: func(json bool) []byte {
			m := &Map{Name: "@h", Kind: Hist, Entries: []Entry{{Buckets: hist(10, 10, 10, 100)}}}
			if json {
				return AppendMapJSON(nil, m, PrintOptions{Div: 2})
			}
			return AppendMap(nil, m, PrintOptions{Div: 2})
		}},
	{name: "bar_rounding",
		body: `@h = hist(1); @h = hist(2); @h = hist(2); @h = hist(4); @h = hist(4); @h = hist(4); @h = hist(8); @h = hist(8); @h = hist(8); @h = hist(8); @h = hist(8); @h = hist(8); @h = hist(8);`,
		maps: func() []*Map {
			return []*Map{{Name: "@h", Kind: Hist, Entries: []Entry{{Buckets: hist(1, 2, 2, 4, 4, 4, 8, 8, 8, 8, 8, 8, 8)}}}}
		}},
}
