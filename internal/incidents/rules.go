package incidents

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/vocab"
)

// The rules that depend on who writes, as the Err of an *Error from Check
// (test them with errors.Is).
var (
	ErrVerifyForbidden     = errors.New("only an analyst or a coordinator may set a verification status other than reported, or keep one set before")
	ErrVisibilityForbidden = errors.New("you may not give a record this visibility")
	ErrVisibilityLockout   = errors.New("with this visibility you could no longer see the record yourself; choose another")
	ErrPersonUnknown       = errors.New("no person with this ID that you may see")
)

// Check is every rule a write of inc by u must pass; old is the stored
// incident inc replaces (as u read it), nil for a new one. It applies the
// defaults first (ApplyDefaults), then checks the values (Validate), then
// the rules that depend on who writes:
//   - a verification status other than "reported" is set only by a
//     verifier (access.CanVerify), unless it is the stored one, kept;
//   - the visibility is one u may give (access.CanSetVisibility) and
//     leaves the record visible to u (who would otherwise lose it);
//   - a victim linked by person ID (not already a victim of old) is a
//     person u may see.
//
// It returns nil, an *Error or an ErrorList, values' problems first.
func (s *Service) Check(ctx context.Context, u *model.User, inc, old *model.Incident) error {
	if u == nil {
		return ErrForbidden
	}
	ApplyDefaults(inc)
	list := Problems(Validate(inc))
	createdBy, status := u.Username, ""
	var had []string // persons already victims of the stored incident
	if old != nil {
		createdBy, status = old.CreatedBy, old.Verification
		for _, v := range old.Victims {
			had = append(had, v.PersonID)
		}
	}
	add := func(field string, err error) { list = append(list, &Error{Field: field, Err: err}) }
	if inc.Verification != "reported" && inc.Verification != status && !access.CanVerify(u) {
		add("verification", ErrVerifyForbidden)
	}
	if vocab.Get(vocab.Visibility).Has(inc.Visibility) {
		switch {
		case !access.CanSetVisibility(u, inc.Visibility):
			add("visibility", ErrVisibilityForbidden)
		case !access.CanSee(u, inc.Visibility, createdBy):
			add("visibility", ErrVisibilityLockout)
		}
	}
	for i, v := range inc.Victims {
		if v.Person != nil || v.PersonID == "" || slices.Contains(had, v.PersonID) {
			continue
		}
		p, err := s.st.Persons().Get(ctx, v.PersonID)
		if err != nil || !access.CanSee(u, p.Visibility, p.CreatedBy) {
			add(fmt.Sprintf("victims[%d].person_id", i), ErrPersonUnknown)
		}
	}
	return asError(list)
}

// NeedsSealer reports whether writing inc over old (nil for a new one)
// needs a member's key (keys.RecordSealer): inc, or a person it creates
// inline, is restricted, or old was (making it internal or public unseals
// its text).
func NeedsSealer(inc, old *model.Incident) bool {
	return keys.Restricted(inc) || old != nil && old.Visibility == model.VisibilityRestricted
}

// Transitions are the verification steps from status that u may take:
// reported → corroborated → verified; anything → disputed or rejected;
// and back to reported. Steps past "reported" are a verifier's.
func Transitions(u *model.User, status string) []string {
	var out []string
	switch status {
	case "reported":
		out = append(out, "corroborated")
	case "corroborated":
		out = append(out, "verified")
	}
	for _, to := range []string{"disputed", "rejected", "reported"} {
		if to != status {
			out = append(out, to)
		}
	}
	if !access.CanVerify(u) {
		out = slices.DeleteFunc(out, func(to string) bool { return to != "reported" })
	}
	return out
}

// MayMove says whether u may move inc's verification status to to:
// ErrForbidden if u may not edit inc or is no verifier and to is not
// "reported", ErrTransition if the workflow has no such step.
func MayMove(u *model.User, inc *model.Incident, to string) error {
	if !access.CanEdit(u, inc.Visibility, inc.CreatedBy) || to != "reported" && !access.CanVerify(u) {
		return ErrForbidden
	}
	if !slices.Contains(Transitions(u, inc.Verification), to) {
		return ErrTransition
	}
	return nil
}

// VerificationChoices are the statuses u may give an incident whose
// status is current ("" for a new one) when writing it whole (a form):
// every status for a verifier; otherwise "reported", or keeping current.
func VerificationChoices(u *model.User, current string) []string {
	if access.CanVerify(u) {
		return vocab.Get(vocab.VerificationStatus).Codes()
	}
	out := []string{"reported"}
	if current != "" && current != "reported" {
		out = append(out, current)
	}
	return out
}
