package incidents

import (
	"context"
	"fmt"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// maxSaidPieces bounds the pieces of information one accepted draft adds.
const maxSaidPieces = 50

// CreateFromReport stores a draft accepted from a news report
// (docs/extract.md): inc, in status "reported"; src, the report as a
// source; and said, what the report said, one piece of information per
// supporting sentence, all from that one source; and records of other
// kinds the documenter accepted with it (threats, hit lists, commitments,
// committees: checked and sealed by their services, records.Service.Draft),
// whose sealing keys it closes. Everything is checked before anything is
// written, and written in one transaction (store.Drafts): all or nothing.
// A restricted draft is refused (its text would need a member's key: make
// it restricted afterwards). Field paths of problems are Check's, and
// "information[N].…" for a piece.
func (s *Service) CreateFromReport(ctx context.Context, u *model.User, inc *model.Incident, src *model.Source, said []model.Information, records ...store.DraftRecord) error {
	d := &store.Draft{Incident: inc, Source: src, Said: said, Records: records}
	defer d.Close()
	if !access.CanCreate(u) {
		return ErrForbidden
	}
	if inc.Verification != "" && inc.Verification != "reported" {
		return &Error{Field: "verification", Err: fmt.Errorf("a draft from a report is stored as reported, not %q", inc.Verification)}
	}
	inc.Verification = "reported"
	list := Problems(s.Check(ctx, u, inc, nil))
	if inc.Visibility == model.VisibilityRestricted {
		list = append(list, &Error{Field: "visibility", Err: fmt.Errorf("a draft from a report is stored internal or public; restrict it afterwards")})
	}
	if len(said) == 0 || len(said) > maxSaidPieces {
		list = append(list, &Error{Field: "information", Err: fmt.Errorf("give 1 to %d sentences of the report as what it said (got %d)", maxSaidPieces, len(said))})
	}
	for i := range said {
		for _, e := range Problems(ValidateInformation(src, &said[i], s.now())) {
			if e.Field == "source.type" || e.Field == "source.reliability" || e.Field == "source.label" || e.Field == "credibility" {
				if i > 0 {
					continue // said once, for the first
				}
				list = append(list, e)
				continue
			}
			list = append(list, &Error{Field: fmt.Sprintf("information[%d].%s", i, e.Field), Err: e.Err})
		}
	}
	if err := asError(list); err != nil {
		return err
	}
	if err := s.st.CreateDraft(ctx, u.Username, d); err != nil {
		return err
	}
	return s.refreshDuplicates(ctx, inc)
}
