package protection

import (
	"context"
	"fmt"
	"slices"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/records"
)

// Links are the persons the cases, threats and list entries name
// (docs/protection.md, "The records"). The links are sealed with each
// record's text, so that a copy of the database does not tell who is at
// risk: they are found by opening every record of the kind with a
// member's key (keys.OpenKind, one audit entry a kind), each kind once,
// when first asked. A person merged into another (docs/persons.md) is
// that person here: the links follow a merge, and its undoing, without
// being rewritten.
type Links struct {
	s              *Service
	actor          string
	rs             *keys.RecordSealer
	into           map[string]string   // merged-away person → the person it went into
	cases, entries map[string]string   // record ID → person, as named
	threats        map[string][]string // threat ID → persons, as named
}

// Links are the links u, a member, opens with rs, u's key of the
// protection compartment (which the caller closes after the Links are
// used). A non-member gets records.ErrNotFound, as for everything of theirs.
func (s *Service) Links(ctx context.Context, u *model.User, rs *keys.RecordSealer) (*Links, error) {
	if ok, err := s.Member(ctx, u); err != nil {
		return nil, err
	} else if !ok {
		return nil, records.ErrNotFound
	}
	if rs == nil {
		return nil, keys.ErrRestrictedNeedsKey
	}
	if err := s.sealLinks(ctx, u.Username, rs); err != nil {
		return nil, err
	}
	into, err := s.st.MergedInto(ctx)
	if err != nil {
		return nil, err
	}
	return &Links{s: s, actor: u.Username, rs: rs, into: into}, nil
}

// sealLinks moves links kept in the clear by a version before 0037 into
// their sealed groups, once a process has a key to do it with
// (store.Cases.SealLinks).
func (s *Service) sealLinks(ctx context.Context, actor string, rs *keys.RecordSealer) error {
	if s.linksSealed.Load() {
		return nil
	}
	if _, err := s.st.SealLinks(ctx, actor, rs); err != nil {
		return fmt.Errorf("seal the persons named by cases, threats and list entries: %w", err)
	}
	s.linksSealed.Store(true)
	return nil
}

// SealLinks is sealLinks for 'rasd keys seal-records' and a member's
// sign-in: it says how many records it sealed.
func (s *Service) SealLinks(ctx context.Context, actor string, rs *keys.RecordSealer) (int, error) {
	n, err := s.st.SealLinks(ctx, actor, rs)
	if err == nil {
		s.linksSealed.Store(true)
	}
	return n, err
}

// Person is who person is now: the person it was merged into, if it was.
func (l *Links) Person(person string) string {
	for range len(l.into) + 1 { // a chain of merges, never a loop
		into, ok := l.into[person]
		if !ok {
			break
		}
		person = into
	}
	return person
}

func (l *Links) open(ctx context.Context) error {
	if l.cases != nil {
		return nil
	}
	cases, err := keys.OpenKind(ctx, l.s.st, l.actor, l.rs, kinds.ProtectionCase)
	if err != nil {
		return err
	}
	l.cases = map[string]string{}
	for id, c := range cases {
		l.cases[id] = c.Person
	}
	return nil
}

func (l *Links) openThreats(ctx context.Context) error {
	if l.threats != nil {
		return nil
	}
	threats, err := keys.OpenKind(ctx, l.s.st, l.actor, l.rs, kinds.Threat)
	if err != nil {
		return err
	}
	l.threats = map[string][]string{}
	for id, t := range threats {
		l.threats[id] = t.Persons
	}
	return nil
}

func (l *Links) openEntries(ctx context.Context) error {
	if l.entries != nil {
		return nil
	}
	entries, err := keys.OpenKind(ctx, l.s.st, l.actor, l.rs, kinds.HitListEntry)
	if err != nil {
		return err
	}
	l.entries = map[string]string{}
	for id, e := range entries {
		l.entries[id] = e.Person
	}
	return nil
}

// CasesOf are the IDs of the cases naming person (or a person merged
// into them), in no order.
func (l *Links) CasesOf(ctx context.Context, person string) ([]string, error) {
	if err := l.open(ctx); err != nil {
		return nil, err
	}
	return l.naming(person, l.cases), nil
}

// EntriesOf are the IDs of the list entries naming person, as CasesOf.
func (l *Links) EntriesOf(ctx context.Context, person string) ([]string, error) {
	if err := l.openEntries(ctx); err != nil {
		return nil, err
	}
	return l.naming(person, l.entries), nil
}

// ThreatsOf are the IDs of the threats against person, as CasesOf.
func (l *Links) ThreatsOf(ctx context.Context, person string) ([]string, error) {
	if err := l.openThreats(ctx); err != nil {
		return nil, err
	}
	person = l.Person(person)
	var out []string
	for id, ps := range l.threats {
		if slices.ContainsFunc(ps, func(p string) bool { return l.Person(p) == person }) {
			out = append(out, id)
		}
	}
	return out, nil
}

func (l *Links) naming(person string, links map[string]string) []string {
	person = l.Person(person)
	var out []string
	for id, p := range links {
		if p != "" && l.Person(p) == person {
			out = append(out, id)
		}
	}
	return out
}

// CasePerson is the person case id names, as named ("" if none).
func (l *Links) CasePerson(ctx context.Context, id string) (string, error) {
	err := l.open(ctx)
	return l.cases[id], err
}

// EntryPerson is the person list entry id names, as named ("" if none).
func (l *Links) EntryPerson(ctx context.Context, id string) (string, error) {
	err := l.openEntries(ctx)
	return l.entries[id], err
}

// ThreatPersons are the persons threat id names, as named.
func (l *Links) ThreatPersons(ctx context.Context, id string) ([]string, error) {
	err := l.openThreats(ctx)
	return l.threats[id], err
}
