package evidence

import (
	"bytes"
	"testing"
)

// The strippers and the sniffer read files from outside: they must never
// panic, never change their input, and a working copy must never be
// longer than what it came from (PDF: exactly as long).

func fuzzStripper(f *testing.F, strip func([]byte) ([]byte, error), seeds ...[]byte) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		orig := bytes.Clone(in)
		out, err := strip(in)
		if !bytes.Equal(in, orig) {
			t.Fatal("the input was changed")
		}
		if err == nil && len(out) > len(in) {
			t.Fatalf("working copy of %d bytes from %d", len(out), len(in))
		}
	})
}

func FuzzStripJPEG(f *testing.F) {
	fuzzStripper(f, StripJPEG, fixture(f, "gps.jpg"), []byte{0xFF, 0xD8, 0xFF, 0xDA, 0, 2, 0xFF, 0xD9})
}

func FuzzStripPNG(f *testing.F) {
	fuzzStripper(f, StripPNG, fixture(f, "meta.png"), []byte(pngSig))
}

func FuzzStripPDF(f *testing.F) {
	f.Add(fixture(f, "meta.pdf"))
	f.Add([]byte("%PDF-1.7\n1 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\nx\x9c\nendstream\ntrailer << /Info 1 0 R >>"))
	f.Fuzz(func(t *testing.T, in []byte) {
		orig := bytes.Clone(in)
		out, err := StripPDF(in)
		if !bytes.Equal(in, orig) {
			t.Fatal("the input was changed")
		}
		if err == nil && len(out) != len(in) {
			t.Fatalf("working copy of %d bytes from %d: offsets moved", len(out), len(in))
		}
	})
}

func FuzzDetect(f *testing.F) {
	for _, s := range []string{"\x00\x00\x00\x18ftypheic", "PK\x03\x04", "fLaC", "%PDF-", "\xFF\xD8\xFF",
		"#!/bin/sh\n", "MZ\x90\x00", "\x7fELF", "notes <script>x</script>", "var a = new ActiveXObject('x')"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		typ := Detect(in)
		if typ == "" {
			t.Fatal("empty type")
		}
		if len(in) > SniffLen && Detect(in[:SniffLen]) != typ {
			t.Fatal("Detect looked past SniffLen")
		}
	})
}
