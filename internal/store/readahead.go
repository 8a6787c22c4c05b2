package store

import (
	"errors"
	"sync"

	"github.com/rasd-project/rasd/internal/model"
)

// errStopped tells a reader that its consumer has stopped taking records.
var errStopped = errors.New("store: the import stopped taking records")

// ReadAhead runs records in a goroutine of its own, up to depth records
// ahead of the import that takes them: reading and checking a file then
// runs on one core while the store writes on another. What records
// returns, and what a consumer's yield returns, come back as they would
// without it; a panic in records is raised again in the caller.
func ReadAhead(records Records, depth int) Records {
	return func(yield func(*model.Incident) error) error {
		ch := make(chan *model.Incident, depth)
		stop := make(chan struct{})
		var (
			readErr  error
			panicked any
		)
		go func() {
			defer close(ch)
			defer func() {
				if r := recover(); r != nil {
					panicked = r
				}
			}()
			readErr = records(func(inc *model.Incident) error {
				select {
				case ch <- inc:
					return nil
				case <-stop:
					return errStopped
				}
			})
		}()
		// However this returns (an error from yield, or a panic in it),
		// the reader is told to stop, so that its goroutine ends.
		var once sync.Once
		halt := func() { once.Do(func() { close(stop) }) }
		defer halt()
		for inc := range ch {
			if err := yield(inc); err != nil {
				halt()
				for range ch { // until the reader has seen stop and returned
				}
				return err
			}
		}
		// ch is closed: the reader has returned, and its results are set.
		if panicked != nil {
			panic(panicked)
		}
		return readErr
	}
}
