package incidents

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/vocab"
)

// maxSaid is the length of what a source said, in characters.
const maxSaid = 5000

// ValidateInformation is the one check of a new source and what it said
// about an incident: its type and reliability grade and the credibility
// of what it said are in their vocabularies, its label is one short line,
// what it said is at most maxSaid characters, the day it was obtained is a
// real date, not before 1900 nor after now. Field paths are "source.type",
// "source.reliability", "source.label", "credibility", "obtained_on" and
// "summary"; it returns nil, an *Error or an ErrorList.
func ValidateInformation(src *model.Source, info *model.Information, now time.Time) error {
	v := &validator{}
	v.code("source.type", vocab.SourceType, src.Type, true)
	v.code("source.reliability", vocab.Reliability, src.Reliability, true)
	credibility := ""
	if info.Credibility != 0 {
		credibility = strconv.Itoa(info.Credibility)
	}
	v.code("credibility", vocab.Credibility, credibility, true)
	v.line("source.label", src.Label, maxShort)
	v.text("summary", info.Summary, maxSaid)
	if info.ObtainedOn != "" {
		t, err := parseDate(info.ObtainedOn)
		switch {
		case err != nil:
			v.add("obtained_on", err)
		case t.Year() < minYear || t.After(now.AddDate(0, 0, 1)):
			v.add("obtained_on", fmt.Errorf("%s is not a plausible date (before %d or in the future); check the year", info.ObtainedOn, minYear))
		}
	}
	return asError(v.list)
}

// InformationNeedsSealer reports whether adding info about inc needs a
// member's key: about a restricted incident, a source's label and what it
// said are sealed with the incident's text.
func InformationNeedsSealer(inc *model.Incident, src *model.Source, info *model.Information) bool {
	return inc.Visibility == model.VisibilityRestricted && (src.Label != "" || info.Summary != "")
}

// AddSource stores a new source and what it said about inc (as u read it
// with GetToEdit) in one write, by u, if u may edit inc and they pass
// ValidateInformation. rs seals what needs sealing
// (InformationNeedsSealer); without it that is refused
// (store.ErrSealNeedsMember).
func (s *Service) AddSource(ctx context.Context, u *model.User, inc *model.Incident, src *model.Source, info *model.Information, rs *keys.RecordSealer) error {
	if !access.CanEdit(u, inc.Visibility, inc.CreatedBy) {
		return ErrForbidden
	}
	if err := ValidateInformation(src, info, s.now()); err != nil {
		return err
	}
	if inc.ID == "" {
		return errors.New("information about an incident not stored")
	}
	info.IncidentID, info.Key = inc.ID, nil
	if rs != nil { // a nil *RecordSealer in the interface would not read as none
		info.Key = rs
	}
	return s.st.AddSourceInformation(ctx, u.Username, src, info)
}
