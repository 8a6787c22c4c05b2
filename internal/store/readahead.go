package store

import (
	"errors"
	"sync"

	"github.com/rasd-project/rasd/internal/model"
)

// errStopped tells a reader that its consumer has stopped taking records.
var errStopped = errors.New("store: the import stopped taking records")

// errReaderExited is what an import gets when its reader's goroutine ended
// without returning (runtime.Goexit): the records it handed over may not
// be all of them.
var errReaderExited = errors.New("store: the reader of the import stopped before the end of its records")

// ReadAhead runs records in a goroutine of its own, up to depth records
// ahead of the import that takes them: reading and checking a file then
// runs on one core while the store writes on another. What records
// returns, and what a consumer's yield returns, come back as they would
// without it; a panic in records is raised again in the caller. It
// returns only once the reader's goroutine has ended, so a second call can
// read the same file again.
func ReadAhead(records Records, depth int) Records {
	return func(yield func(*model.Incident) error) error {
		ch := make(chan *model.Incident, depth)
		stop := make(chan struct{})
		var (
			readErr  error
			finished bool // records returned
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
				select { // a stopped consumer takes nothing more, even with room
				case <-stop:
					return errStopped
				default:
				}
				select {
				case ch <- inc:
					return nil
				case <-stop:
					return errStopped
				}
			})
			finished = true
		}()
		// However this returns (an error from yield, or a panic in it),
		// the reader is told to stop, so that its goroutine ends.
		var once sync.Once
		halt := func() { once.Do(func() { close(stop) }) }
		defer halt()
		var err error
		for inc := range ch {
			if err = yield(inc); err != nil {
				halt()
				for range ch { // until the reader has seen stop and returned
				}
				break
			}
		}
		// ch is closed: the reader has ended, and what it set is visible.
		switch {
		case panicked != nil:
			panic(panicked)
		case err != nil:
			return err
		case !finished:
			return errReaderExited
		}
		return readErr
	}
}
