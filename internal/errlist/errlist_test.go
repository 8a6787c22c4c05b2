package errlist

import (
	"errors"
	"io"
	"os"
	"testing"
)

type placed struct {
	at  string
	err error
}

func (p *placed) Error() string { return p.at + ": " + p.err.Error() }
func (p *placed) Unwrap() error { return p.err }

func TestList(t *testing.T) {
	l := List[*placed]{{"line 2", io.ErrUnexpectedEOF}, {"line 7", os.ErrNotExist}}
	if got, want := l.Error(), "line 2: unexpected EOF\nline 7: file does not exist"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	for _, target := range []error{io.ErrUnexpectedEOF, os.ErrNotExist} {
		if !errors.Is(l, target) {
			t.Errorf("errors.Is(list, %v) = false", target)
		}
	}
	var p *placed
	if !errors.As(l, &p) || p.at != "line 2" {
		t.Errorf("errors.As found %v, want the first problem", p)
	}
	if errors.Is(List[*placed]{}, io.EOF) {
		t.Error("an empty list matches io.EOF")
	}
}
