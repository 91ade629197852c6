package runtime

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/gobpftrace/gobpftrace/output"
)

// Decode fills the struct v points to from a printf event, column by
// column. Columns come from `name:%fmt` tokens of the format string (the
// Pixie convention): in `printf("time_:%lld units:%d\n", nsecs, $u)` the
// columns are time_ and units. A column fills the field tagged
// `bpftrace:"name"`, or else the exported field whose name matches
// case-insensitively; columns without a field are skipped.
//
// Field types: any integer kind (the value is sign- or zero-extended from
// its bpftrace width, then converted as Go converts), bool, float32 and
// float64 (a float column: float32 only from a float32, float64 from
// either), string and []byte (strings and resolved symbols), time.Time (an
// nsecs reading, converted to the wall clock; meant for the `time_`
// column), []output.Frame (stacks), and output.Value (anything). A stack,
// integer or float decoded into a string gets bpftrace's text form.
// Floats and integers do not mix: a float column into an integer or bool
// field, or an integer column into a float field, is an error.
//
// Decoding into integer, bool, float and time.Time fields allocates
// nothing.
func (e *Event) Decode(v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("Decode needs a non-nil pointer to a struct, not %T", v)
	}
	if e.Format == nil {
		return errors.New("Decode: the event has no printf format")
	}
	p, err := e.sess.plan(e.ID, e.Format, rv.Elem().Type())
	if err != nil {
		return err
	}
	sv := rv.Elem()
	for i := range p.fields {
		f := &p.fields[i]
		if f.arg >= len(e.Values) {
			continue
		}
		if err := e.set(sv.FieldByIndex(f.index), &e.Values[f.arg], f.name); err != nil {
			return err
		}
	}
	return nil
}

var (
	timeType   = reflect.TypeFor[time.Time]()
	framesType = reflect.TypeFor[[]output.Frame]()
	valueType  = reflect.TypeFor[output.Value]()
)

func (e *Event) set(fv reflect.Value, v *output.Value, col string) error {
	switch fv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if v.Kind == output.Float {
			return mismatch(fv, v, col)
		}
		fv.SetInt(v.Int64())
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if v.Kind == output.Float {
			return mismatch(fv, v, col)
		}
		fv.SetUint(uint64(v.Int64()))
		return nil
	case reflect.Bool:
		if v.Kind == output.Float {
			return mismatch(fv, v, col)
		}
		fv.SetBool(v.Int64() != 0)
		return nil
	case reflect.Float32, reflect.Float64:
		// A float64 would be rounded in a float32 field: refused.
		if v.Kind != output.Float || fv.Kind() == reflect.Float32 && v.Size != 4 {
			return mismatch(fv, v, col)
		}
		fv.SetFloat(v.Float())
		return nil
	case reflect.String:
		if v.Kind == output.Kstack || v.Kind == output.Ustack || v.Kind == output.Integer || v.Kind == output.Float {
			fv.SetString(string(output.AppendValue(nil, v)))
		} else {
			fv.SetString(string(cstrBytes(v.Bytes)))
		}
		return nil
	}
	// Through the field's address: a pointer fits in an interface without
	// allocating, a time.Time does not.
	switch fv.Type() {
	case timeType:
		*fv.Addr().Interface().(*time.Time) = e.sess.clock.Wall(uint64(v.Int64()))
		return nil
	case framesType:
		*fv.Addr().Interface().(*[]output.Frame) = v.Frames
		return nil
	case valueType:
		*fv.Addr().Interface().(*output.Value) = *v
		return nil
	}
	if fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.Uint8 {
		fv.SetBytes(cstrBytes(v.Bytes))
		return nil
	}
	return mismatch(fv, v, col)
}

// mismatch is the error for a column that field fv cannot hold.
func mismatch(fv reflect.Value, v *output.Value, col string) error {
	what := v.Kind.String()
	switch {
	case v.Kind == output.Float && v.Size == 4:
		what = "float32"
	case v.Kind == output.Float:
		what = "float64"
	}
	return fmt.Errorf("Decode: column %s: cannot store a %s in a field of type %s", col, what, fv.Type())
}

func cstrBytes(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i]
		}
	}
	return b
}

// decodePlan maps a format's columns to a struct type's fields.
type decodePlan struct {
	typ    reflect.Type
	fields []planField
}

type planField struct {
	arg   int
	index []int
	name  string
}

// planCache keeps the last plan of each event, so that decoding many
// records of one event into one struct type looks the plan up without
// allocating.
type planCache struct {
	mu    sync.Mutex
	plans map[int]*decodePlan
}

func (s *Session) plan(id int, f *output.Format, t reflect.Type) (*decodePlan, error) {
	s.plans.mu.Lock()
	defer s.plans.mu.Unlock()
	if p := s.plans.plans[id]; p != nil && p.typ == t {
		return p, nil
	}
	p := &decodePlan{typ: t}
	for _, c := range f.Columns() {
		idx, ok := fieldFor(t, c.Name)
		if !ok {
			continue
		}
		p.fields = append(p.fields, planField{arg: c.Arg, index: idx, name: c.Name})
	}
	if s.plans.plans == nil {
		s.plans.plans = map[int]*decodePlan{}
	}
	s.plans.plans[id] = p
	return p, nil
}

// fieldFor finds the field for a column: by tag first, then by name.
func fieldFor(t reflect.Type, col string) ([]int, bool) {
	var byName []int
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous {
			continue
		}
		if tag, ok := f.Tag.Lookup("bpftrace"); ok {
			if tag == col {
				return f.Index, true
			}
			continue
		}
		if byName == nil && strings.EqualFold(f.Name, col) {
			byName = f.Index
		}
	}
	return byName, byName != nil
}
