package symtab

import "strings"

// Match reports whether name matches the bpftrace wildcard pattern: `*`
// matches any run of characters (including none, and including '/', '.',
// '(' and ')', which Go symbols such as `main.(*T).M` contain), and every
// other character matches itself.
func Match(pattern, name string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == name
	}
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	name = name[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(name, mid)
		if i < 0 {
			return false
		}
		name = name[i+len(mid):]
	}
	return strings.HasSuffix(name, last)
}
