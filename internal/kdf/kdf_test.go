package kdf

import "testing"

func TestLowerForTests(t *testing.T) {
	if got := Argon2id(); got != standard {
		t.Fatalf("before lowering: %+v, want the standard costs %+v", got, standard)
	}
	if standard.MemoryKiB < 64*1024 || standard.Time < 3 {
		t.Fatalf("standard costs %+v are below RFC 9106's second option", standard)
	}
	LowerForTests()
	if got := Argon2id(); got != lowered {
		t.Fatalf("after lowering: %+v, want %+v", got, lowered)
	}
}
