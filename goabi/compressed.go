package goabi

import (
	"debug/elf"
	"fmt"
	"os"

	"github.com/gobpftrace/gobpftrace/internal/inflate"
)

// maxInflated bounds what one DWARF section may inflate to, whatever its
// header claims: a corrupt binary must not exhaust memory.
const maxInflated = 1 << 30

// zlibSection returns a decoder over an SHF_COMPRESSED section compressed
// with zlib (what the Go linker writes), or nil when the section is stored
// some other way (plain, zstd, the old .zdebug form) and debug/elf's
// reader has to do.
func zlibSection(of *os.File, f *elf.File, s *elf.Section) (*inflate.Decoder, error) {
	if s.Flags&elf.SHF_COMPRESSED == 0 || s.Type == elf.SHT_NOBITS {
		return nil, nil
	}
	hdr := uint64(12) // Elf32_Chdr; s.Size already holds the inflated size from it
	if f.Class == elf.ELFCLASS64 {
		hdr = 24
	}
	// DEFLATE inflates at most 1032:1: a header announcing more is
	// corrupt, and must not make us allocate it.
	if s.FileSize < hdr || s.FileSize > maxInflated || s.Size > 1032*(s.FileSize-hdr)+64 {
		return nil, fmt.Errorf("%s: announces %d bytes inflated from %d", s.Name, s.Size, s.FileSize)
	}
	raw := make([]byte, s.FileSize)
	if _, err := of.ReadAt(raw, int64(s.Offset)); err != nil {
		return nil, fmt.Errorf("reading %s: %w", s.Name, err)
	}
	if elf.CompressionType(f.ByteOrder.Uint32(raw)) != elf.COMPRESS_ZLIB {
		return nil, nil
	}
	return inflate.NewZlib(raw[hdr:], int(s.Size), int(s.Size))
}

// sectionData returns a DWARF section's contents, inflated; nil when the
// binary has no such section.
func sectionData(of *os.File, f *elf.File, name string) ([]byte, error) {
	s := f.Section(name)
	if s == nil || s.Type == elf.SHT_NOBITS {
		return nil, nil
	}
	dec, err := zlibSection(of, f, s)
	if err == nil && dec != nil {
		var data []byte
		if data, err = dec.All(); err == nil {
			return data, nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	d, err := s.Data()
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return d, nil
}
