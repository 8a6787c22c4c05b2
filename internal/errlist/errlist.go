// Package errlist holds several problems found in one input as one error,
// so that a caller can show every problem at once (each naming its place)
// and errors.As and errors.Is still find each of them.
package errlist

import "strings"

// List is several problems, in the order they were found.
type List[E error] []E

// Error is every problem's message, one a line.
func (l List[E]) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap lets errors.As and errors.Is look at every problem.
func (l List[E]) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}
