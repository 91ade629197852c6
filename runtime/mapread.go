package runtime

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/cilium/ebpf"

	"github.com/gobpftrace/gobpftrace/codegen"
	"github.com/gobpftrace/gobpftrace/output"
	"github.com/gobpftrace/gobpftrace/types"
)

// readMaps reads every script map for printing, in name order.
func (s *Session) readMaps() ([]*output.Map, error) {
	var out []*output.Map
	for _, m := range s.prog.Maps {
		if m.Role != codegen.RoleUser || m.User == nil {
			continue
		}
		om, err := s.readMap(m)
		if err != nil {
			return out, err
		}
		out = append(out, om)
	}
	return out, nil
}

// readMap reads one script map: its keys decoded by the key types, per-CPU
// aggregations merged.
func (s *Session) readMap(m *codegen.Map) (*output.Map, error) {
	em := s.objs.Map(m.Name)
	if em == nil {
		return nil, fmt.Errorf("map @%s was not loaded", m.User.Name)
	}
	info := m.User
	om := &output.Map{Name: "@" + info.Name, Kind: outputKind(info.Value)}
	if om.Kind == output.Lhist {
		om.Lhist = output.LhistParams{Min: m.Lhist.Min, Max: m.Lhist.Max, Step: m.Lhist.Step}
	}
	hist := newHistGroups(m, om)
	var keyT *types.Type
	if len(info.Keys) > 0 {
		keyT = types.TupleOf(info.Keys...)
	}
	perCPU := em.Type() == ebpf.PerCPUHash || em.Type() == ebpf.PerCPUArray || em.Type() == ebpf.LRUCPUHash
	key := make([]byte, em.KeySize())
	it := em.Iterate()
	for {
		var e output.Entry
		if perCPU {
			var vals [][]byte
			if !it.Next(&key, &vals) {
				break
			}
			if hist != nil {
				hist.add(key, vals)
				continue
			}
			mergeAggregation(&e, info.Value, vals)
		} else {
			var val []byte
			if !it.Next(&key, &val) {
				break
			}
			if info.Value.Kind == types.Ustack || info.Value.Kind == types.Kstack {
				e.Value = s.stackKey(val, info.Value)
			} else {
				e.Value = s.value(val, info.Value)
			}
		}
		s.decodeKeys(&e, keyT, key)
		om.Entries = append(om.Entries, e)
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("reading @%s: %w", info.Name, err)
	}
	if hist != nil {
		for _, g := range hist.order {
			e := output.Entry{Buckets: hist.groups[g]}
			s.decodeKeys(&e, keyT, []byte(g))
			om.Entries = append(om.Entries, e)
		}
	}
	return om, nil
}

// outputKind maps a map's value type to the kind output sorts and prints
// it by.
func outputKind(t *types.Type) output.Kind {
	switch t.Kind {
	case types.Count:
		return output.Count
	case types.Sum:
		return output.Sum
	case types.Min:
		return output.Min
	case types.Max:
		return output.Max
	case types.Avg:
		return output.Avg
	case types.Stats:
		return output.Stats
	case types.Hist:
		return output.Hist
	case types.Lhist:
		return output.Lhist
	case types.String:
		return output.String
	case types.Tuple:
		return output.Tuple
	case types.Ustack:
		return output.Ustack
	case types.Kstack:
		return output.Kstack
	}
	return output.Integer
}

// mergePerCPU merges the per-CPU values of count and sum maps: the
// counters add up. Count is unsigned, sum keeps the sign of its argument.
func mergePerCPU(t *types.Type, vals [][]byte) output.Value {
	var total uint64
	for _, v := range vals {
		if len(v) >= 8 {
			total += binary.LittleEndian.Uint64(v)
		}
	}
	switch t.Kind {
	case types.Count:
		return output.Uint(total)
	}
	if t.Signed || t.Kind == types.Sum {
		return output.Int(int64(total))
	}
	return output.Uint(total)
}

// userMap returns the compiled description of script map @name.
func (s *Session) userMap(name string) *codegen.Map {
	for _, m := range s.prog.Maps {
		if m.Role == codegen.RoleUser && m.User != nil && m.User.Name == name {
			return m
		}
	}
	return nil
}

// mapAction carries out what clear(@m), zero(@m) and print(@m) ask of user
// space, in the order the events arrive: clear deletes every key, zero keeps
// the keys and zeroes the values, print reads the map as it is now.
func (s *Session) mapAction(ev *Event) error {
	m := s.userMap(ev.Map)
	if m == nil {
		return nil
	}
	em := s.objs.Map(m.Name)
	switch ev.Kind {
	case codegen.EventPrint:
		om, err := s.readMap(m)
		if err != nil {
			return err
		}
		ev.MapData = om
		if len(ev.Values) > 0 {
			ev.PrintOpts.Top = uint32(ev.Values[0].Int64())
		}
		if len(ev.Values) > 1 {
			ev.PrintOpts.Div = uint32(ev.Values[1].Int64())
		}
	case codegen.EventClear, codegen.EventZero:
		var keys [][]byte
		key := make([]byte, em.KeySize())
		it := em.Iterate()
		var discard []byte
		var discardPerCPU [][]byte
		perCPU := em.Type() == ebpf.PerCPUHash || em.Type() == ebpf.LRUCPUHash || em.Type() == ebpf.PerCPUArray
		isArray := em.Type() == ebpf.Array || em.Type() == ebpf.PerCPUArray
		for {
			var ok bool
			if perCPU {
				ok = it.Next(&key, &discardPerCPU)
			} else {
				ok = it.Next(&key, &discard)
			}
			if !ok {
				break
			}
			keys = append(keys, append([]byte(nil), key...))
		}
		if err := it.Err(); err != nil {
			return err
		}
		for _, k := range keys {
			var err error
			switch {
			case ev.Kind == codegen.EventClear && !isArray: // array entries cannot be deleted: zero them
				err = em.Delete(k)
			case perCPU:
				zeros := make([][]byte, len(discardPerCPU))
				for i := range zeros {
					zeros[i] = make([]byte, em.ValueSize())
				}
				err = em.Put(k, zeros)
			default:
				err = em.Put(k, make([]byte, em.ValueSize()))
			}
			if err != nil && !errors.Is(err, ebpf.ErrKeyNotExist) {
				return fmt.Errorf("%s(@%s): %w", map[codegen.EventKind]string{codegen.EventClear: "clear", codegen.EventZero: "zero"}[ev.Kind], ev.Map, err)
			}
		}
	}
	return nil
}
