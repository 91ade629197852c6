// Package runtime loads compiled gobpftrace programs into the kernel,
// attaches them, reads their events and cleans up; it is the only package
// that touches the kernel.
package runtime

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/rlimit"
)

// NamePrefix starts the kernel name of every map and program an Objects
// loads, so that leak checks (and bpftool users) can recognise ours.
const NamePrefix = "gbt_"

// maxObjName is the longest object name the kernel keeps (BPF_OBJ_NAME_LEN
// minus the terminating NUL).
const maxObjName = 15

// Objects owns every map, program, link, perf event and reader created for
// one run of a compiled script. Close releases all of them; it is idempotent
// and safe after a partial failure.
type Objects struct {
	mu      sync.Mutex
	maps    map[string]*ebpf.Map
	progs   map[string]*ebpf.Program
	specs   map[string]*ebpf.ProgramSpec // as loaded, maps bound
	twins   map[string]*ebpf.Program     // see plainTwin
	links   []io.Closer                  // attachments, in attach order; closed first
	readers []io.Closer                  // event readers; closed after the links
	end     []*ebpf.Program
	stopped bool
	closed  bool
}

// LoadOptions tune Load. Nil means defaults.
type LoadOptions struct {
	// LogLevel asks the verifier for a log on success too (see
	// ebpf.ProgramOptions.LogLevel).
	LogLevel ebpf.LogLevel
}

// Load creates every map of spec, then every program, binding the
// programs' map references (asm.LoadMapPtr(...).WithReference(name)) to the
// new maps. Kernel names get NamePrefix. On failure everything created so
// far is closed; a verifier rejection is returned as a *VerifierError that
// points at the failing instruction.
func LoadSpec(spec *ebpf.CollectionSpec, opts *LoadOptions) (*Objects, error) {
	if opts == nil {
		opts = &LoadOptions{}
	}
	// Kernels ≥ 5.11 account BPF memory to the cgroup; older ones need the
	// memlock rlimit lifted. Failure here is not fatal on new kernels.
	_ = rlimit.RemoveMemlock()

	s := &Objects{
		maps:  map[string]*ebpf.Map{},
		progs: map[string]*ebpf.Program{},
		specs: map[string]*ebpf.ProgramSpec{},
		twins: map[string]*ebpf.Program{},
	}
	if err := s.load(spec, opts); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Objects) load(spec *ebpf.CollectionSpec, opts *LoadOptions) error {
	for _, name := range sortedKeys(spec.Maps) {
		ms := spec.Maps[name].Copy()
		ms.Name = KernelName(name)
		m, err := ebpf.NewMapWithOptions(ms, ebpf.MapOptions{})
		if err != nil {
			return fmt.Errorf("map %s: %w", name, err)
		}
		s.maps[name] = m
	}
	for _, name := range sortedKeys(spec.Programs) {
		ps := spec.Programs[name].Copy()
		ps.Name = KernelName(name)
		for i := range ps.Instructions {
			ins := &ps.Instructions[i]
			if m, ok := s.maps[ins.Reference()]; ok && ins.IsLoadFromMap() {
				if err := ins.AssociateMap(m); err != nil {
					return fmt.Errorf("program %s: %w", name, err)
				}
			}
		}
		p, err := loadProgram(name, ps, ebpf.ProgramOptions{LogLevel: opts.LogLevel})
		if err != nil {
			return err
		}
		s.progs[name] = p
		s.specs[name] = ps
	}
	return nil
}

// plainTwin loads (once) program name again with no attach type, for an
// attachment its own attach type does not allow; the session owns it.
func (s *Objects) plainTwin(name string) (*ebpf.Program, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.twins[name]; ok {
		return p, nil
	}
	if s.specs[name].AttachType == ebpf.AttachNone {
		return s.progs[name], nil
	}
	if s.closed {
		return nil, errors.New("session closed")
	}
	ps := s.specs[name].Copy()
	ps.AttachType = ebpf.AttachNone
	p, err := loadProgram(name, ps, ebpf.ProgramOptions{})
	if err != nil {
		return nil, err
	}
	s.twins[name] = p
	return p, nil
}

// KernelName is the name the kernel shows for a map or program called name:
// NamePrefix added, characters the kernel refuses replaced by '_', cut to
// 15 bytes.
func KernelName(name string) string {
	if !strings.HasPrefix(name, NamePrefix) {
		name = NamePrefix + name
	}
	b := []byte(name)
	for i, c := range b {
		ok := c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !ok {
			b[i] = '_'
		}
	}
	if len(b) > maxObjName {
		b = b[:maxObjName]
	}
	return string(b)
}

// Map returns the map that the spec called name, or nil.
func (s *Objects) Map(name string) *ebpf.Map { return s.maps[name] }

// Program returns the program that the spec called name, or nil.
func (s *Objects) Program(name string) *ebpf.Program { return s.progs[name] }

// addLink records an attachment, or closes it at once if the session is
// already stopped (so that a late attach cannot leak).
func (s *Objects) addLink(c io.Closer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		c.Close()
		return errors.New("session already stopped")
	}
	s.links = append(s.links, c)
	return nil
}

// Stop detaches every probe, so no new event is produced, then runs the END
// programs once. The maps, programs and readers stay open: drain the events
// and print the maps, then Close. Stop is idempotent.
func (s *Objects) Stop() error {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return nil
	}
	s.stopped = true
	links := s.links
	s.links = nil
	end := s.end
	s.mu.Unlock()

	err := closeAll(links)
	for _, p := range end {
		if _, rerr := RunOnce(p); rerr != nil {
			err = errors.Join(err, fmt.Errorf("END: %w", rerr))
		}
	}
	return err
}

// Close detaches everything and closes every reader, program and map of the
// session. END programs do not run (call Stop first for that). Close is
// idempotent and safe on a session that failed half way through loading.
func (s *Objects) Close() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	s.stopped = true
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	links, readers := s.links, s.readers
	s.links, s.readers = nil, nil
	s.mu.Unlock()

	err := closeAll(links)
	err = errors.Join(err, closeAll(readers))
	for _, name := range sortedKeys(s.progs) {
		err = errors.Join(err, s.progs[name].Close())
	}
	for _, name := range sortedKeys(s.twins) {
		err = errors.Join(err, s.twins[name].Close())
	}
	for _, name := range sortedKeys(s.maps) {
		err = errors.Join(err, s.maps[name].Close())
	}
	return err
}

// closeAll closes every closer and joins the errors. Many closers (one
// perf-event uprobe per function of a wildcard) are closed concurrently:
// the kernel waits for an RCU grace period per uprobe (~70 ms measured on
// 6.18), and those waits overlap.
func closeAll(cs []io.Closer) error {
	if len(cs) < 4 {
		var err error
		for i := len(cs) - 1; i >= 0; i-- {
			err = errors.Join(err, cs[i].Close())
		}
		return err
	}
	errs := make([]error, len(cs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for i, c := range cs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			errs[i] = c.Close()
			<-sem
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// LoadedObjects lists the kernel names of every loaded program and map
// whose name starts with prefix, as "prog:ID:name" and "map:ID:name", in ID
// order. Tests take it before and after a session to prove nothing leaked.
func LoadedObjects(prefix string) ([]string, error) {
	var out []string
	for id := ebpf.ProgramID(0); ; {
		next, err := ebpf.ProgramGetNextID(id)
		if err != nil {
			break // ENOENT: end of the list
		}
		id = next
		p, err := ebpf.NewProgramFromID(id)
		if err != nil {
			continue // freed meanwhile
		}
		info, err := p.Info()
		p.Close()
		if err == nil && strings.HasPrefix(info.Name, prefix) {
			out = append(out, fmt.Sprintf("prog:%d:%s", id, info.Name))
		}
	}
	for id := ebpf.MapID(0); ; {
		next, err := ebpf.MapGetNextID(id)
		if err != nil {
			break
		}
		id = next
		m, err := ebpf.NewMapFromID(id)
		if err != nil {
			continue
		}
		info, err := m.Info()
		m.Close()
		if err == nil && strings.HasPrefix(info.Name, prefix) {
			out = append(out, fmt.Sprintf("map:%d:%s", id, info.Name))
		}
	}
	return out, nil
}
