package incidents

import (
	"errors"
	"fmt"

	"github.com/rasd-project/rasd/internal/errlist"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// ErrNotFound is returned for an incident that does not exist and, alike,
// for one the reader may not see: a record someone may not see must look
// as if it did not exist. It is store.ErrNotFound.
var ErrNotFound = store.ErrNotFound

// ErrForbidden is returned when a user may see an incident but not do
// what was asked with it (edit it, move its verification status).
var ErrForbidden = errors.New("you may not do this with this incident")

// ErrTransition is returned for a verification step that the workflow
// does not allow from the incident's status (Transitions).
var ErrTransition = errors.New("this verification step is not allowed from the incident's status")

// Error is one problem with an incident, or with what a source said, at
// a field path such as "victims[0].outcome" (indexes count from 0): the
// importer names the line and column from it, the web form the input.
type Error struct {
	Field string
	Err   error
}

func (e *Error) Error() string {
	if e.Field == "" {
		return e.Err.Error()
	}
	return e.Field + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorList is several problems of one record, in field order.
type ErrorList = errlist.List[*Error]

// asError is nil for no problem, the *Error for one, else the list.
func asError(l ErrorList) error {
	switch len(l) {
	case 0:
		return nil
	case 1:
		return l[0]
	}
	return l
}

// Problems lists the problems of err as Validate, ValidateInformation
// and Check return them: nil for none; an error of any other kind is one
// problem without a field.
func Problems(err error) ErrorList {
	switch e := err.(type) {
	case nil:
		return nil
	case *Error:
		return ErrorList{e}
	case ErrorList:
		return e
	}
	return ErrorList{{Err: err}}
}

// RecordError is a record of an import that a rule refused, numbered
// from 1 in the order read.
type RecordError struct {
	Num      int
	External *model.External
	Err      error // an *Error or ErrorList
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("%s: %v", recordName(e.Num, e.External), e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }

// RestrictedError stops an import without a member's key at its first
// restricted record (or restricted person created inline), whose text
// must be sealed (docs/keys.md, "Restricted records").
type RestrictedError struct {
	Num      int
	External *model.External
}

func (e *RestrictedError) Error() string {
	return recordName(e.Num, e.External) + " is restricted: its text is sealed in the protection compartment"
}

func recordName(num int, ext *model.External) string {
	what := fmt.Sprintf("record %d", num)
	if ext != nil {
		what += fmt.Sprintf(" (%s %s)", ext.System, ext.ID)
	}
	return what
}
