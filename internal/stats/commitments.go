package stats

import (
	"context"
	"slices"

	"github.com/rasd-project/rasd/internal/accountability"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// The figures of official commitments and committees (docs/counting.md,
// "Commitment figures"): counted for a reader as incidents are (public,
// internal, and the restricted ones the reader may list), each with its
// receipt.

// CommitmentRow is one commitment behind the figures: its status, its due
// day and, when open and past it, how late it is.
type CommitmentRow struct {
	ID            string   `json:"id"`
	AuthorityType string   `json:"authority_type"`
	Authority     string   `json:"authority,omitempty"`
	Kind          string   `json:"kind"`
	MadeOn        string   `json:"made_on"`
	Deadline      string   `json:"deadline,omitempty"` // the duration as typed ("3m"), or the date
	Due           string   `json:"due,omitempty"`
	Status        string   `json:"status"`
	Overdue       bool     `json:"overdue"`
	DaysOverdue   int      `json:"days_overdue,omitempty"`
	MonthsOverdue int      `json:"months_overdue,omitempty"`
	Incidents     []string `json:"incidents,omitempty"`
	Visibility    string   `json:"visibility"`
	PromiseAR     string   `json:"-"`
	PromiseEN     string   `json:"-"`
}

// Commitments are the figures: every commitment counted, by status, the
// open ones past their deadline, and the committees.
type Commitments struct {
	Today           string `json:"today"`
	Total           int    `json:"commitments"`
	Open            int    `json:"open"`
	Overdue         int    `json:"overdue"`
	Fulfilled       int    `json:"fulfilled"`
	PartlyFulfilled int    `json:"partly_fulfilled"`
	Broken          int    `json:"broken"`
	Withdrawn       int    `json:"withdrawn"`
	Committees      int    `json:"committees"`
	Reported        int    `json:"committees_reported"`
	// Prosecuted counts committees after whose forming one of their
	// incidents saw a charge, a trial or a conviction.
	Prosecuted int `json:"committees_followed_by_prosecution"`
	// Receipt lists the commitments show lets the reader see, overdue
	// first (most overdue first), then by day made; Withheld the others.
	Receipt   []CommitmentRow   `json:"receipt"`
	Withheld  int               `json:"withheld"`
	Committee []model.Committee `json:"-"`
}

// RowOf is c's row on today.
func RowOf(c *model.Commitment, today accountability.Day) CommitmentRow {
	r := CommitmentRow{ID: c.ID, AuthorityType: c.AuthorityType, Authority: c.Authority, Kind: c.Kind, MadeOn: c.MadeOn,
		Deadline: c.DeadlineDuration + c.DeadlineDate, Incidents: c.Incidents, Visibility: c.Visibility,
		PromiseAR: c.PromiseAR, PromiseEN: c.PromiseEN}
	made, err := accountability.ParseDay(c.MadeOn)
	h, _, herr := accountability.ParseHistory(c.StatusHistory, made, accountability.Date(9999, 12, 31))
	r.Status = accountability.Current(h)
	if err != nil || herr != nil {
		return r // stored before a rule: shown, never overdue
	}
	dl, _, err := accountability.ParseDeadline(made, c.DeadlineDate, c.DeadlineDuration)
	if err != nil {
		return r
	}
	r.Due = dl.Due(made).String()
	if l, over := accountability.Overdue(made, dl, r.Status, today); over {
		r.Overdue, r.DaysOverdue, r.MonthsOverdue = true, l.Days, l.Months
	}
	return r
}

// CountCommitments counts for reader on today, listing what show lets see.
func CountCommitments(ctx context.Context, st store.Store, reader store.Visible, show store.Visible, today accountability.Day) (Commitments, error) {
	out := Commitments{Today: today.String()}
	v := counting(reader)
	cs, err := listAll(ctx, store.Of[model.Commitment](st, kinds.Commitment), v)
	if err != nil {
		return out, err
	}
	for i := range cs {
		r := RowOf(&cs[i], today)
		out.Total++
		switch r.Status {
		case accountability.Pending:
			out.Open++
		case accountability.Fulfilled:
			out.Fulfilled++
		case accountability.PartlyFulfilled:
			out.PartlyFulfilled++
		case accountability.Broken:
			out.Broken++
		case accountability.Withdrawn:
			out.Withdrawn++
		}
		if r.Overdue {
			out.Overdue++
		}
		if visibleTo(show, r.Visibility) {
			out.Receipt = append(out.Receipt, r)
		} else {
			out.Withheld++
		}
	}
	slices.SortStableFunc(out.Receipt, func(a, b CommitmentRow) int {
		if a.DaysOverdue != b.DaysOverdue {
			return b.DaysOverdue - a.DaysOverdue
		}
		switch {
		case a.MadeOn < b.MadeOn:
			return -1
		case a.MadeOn > b.MadeOn:
			return 1
		}
		return 0
	})
	committees, err := listAll(ctx, store.Of[model.Committee](st, kinds.Committee), v)
	if err != nil {
		return out, err
	}
	steps, err := stepsByIncident(ctx, st, v)
	if err != nil {
		return out, err
	}
	for _, c := range committees {
		out.Committees++
		if c.Reported {
			out.Reported++
		}
		if prosecutedAfter(c, steps) {
			out.Prosecuted++
		}
		if visibleTo(show, c.Visibility) {
			out.Committee = append(out.Committee, c)
		}
	}
	return out, nil
}

// prosecutedAfter reports whether one of c's incidents had a charge, a
// trial or a conviction on or after the day c was formed (or undated).
func prosecutedAfter(c model.Committee, steps map[string][]model.JudicialStep) bool {
	for _, id := range c.Incidents {
		for _, s := range steps[id] {
			switch s.Step {
			case accountability.Charge, accountability.Trial, accountability.Convicted:
				if s.Date == "" || s.Date >= c.FormedOn { // both YYYY-MM-DD
					return true
				}
			}
		}
	}
	return false
}

func listAll[T any](ctx context.Context, ks store.Kind[T], v store.Visible) ([]T, error) {
	var out []T
	for offset := 0; ; offset += 1000 {
		page, total, err := ks.List(ctx, store.ListFilter{Visible: v, Limit: 1000, Offset: offset})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) == 0 || offset+len(page) >= total {
			return out, nil
		}
	}
}

// CountCommitmentsPage is CountCommitments counted in the store, over the
// due day and status stored with each commitment, with only the overdue
// commitments in its receipt: the first limit of them (0: all) that show
// lets the reader see, most overdue first; Withheld counts the overdue
// ones the reader counts but may not see. It reads no commitment that is
// not in the receipt: the totals by status are the store's running totals
// (a few rows), the overdue ones a count along an index over the pending
// commitments due before today.
func CountCommitmentsPage(ctx context.Context, st store.Store, reader, show store.Visible, today accountability.Day, limit int) (Commitments, error) {
	out := Commitments{Today: today.String(), Receipt: []CommitmentRow{}}
	v := counting(reader)
	counts, err := st.CommitmentCounts(ctx, v, out.Today)
	if err != nil {
		return out, err
	}
	seen := store.Visible{}
	for _, l := range v.Levels {
		if visibleTo(show, l) {
			seen.Levels = append(seen.Levels, l)
		}
	}
	if visibleTo(show, model.VisibilityRestricted) {
		seen.OwnedBy = v.OwnedBy
	}
	shown := 0
	for _, c := range counts {
		out.Total += c.N
		switch c.Status {
		case accountability.Pending:
			out.Open += c.N
			out.Overdue += c.Overdue
			// A restricted one counted is either every reader's of that
			// level or the reader's own: seen has it exactly when show
			// lets the reader see restricted records.
			if visibleTo(show, c.Visibility) {
				shown += c.Overdue
			}
		case accountability.Fulfilled:
			out.Fulfilled += c.N
		case accountability.PartlyFulfilled:
			out.PartlyFulfilled += c.N
		case accountability.Broken:
			out.Broken += c.N
		case accountability.Withdrawn:
			out.Withdrawn += c.N
		}
	}
	page, err := st.OverdueCommitments(ctx, seen, out.Today, limit, 0)
	if err != nil {
		return out, err
	}
	out.Withheld = out.Overdue - shown
	for i := range page {
		out.Receipt = append(out.Receipt, RowOf(&page[i], today))
	}
	committees, err := listAll(ctx, store.Of[model.Committee](st, kinds.Committee), v)
	if err != nil {
		return out, err
	}
	steps := store.Of[model.JudicialStep](st, kinds.JudicialStep)
	for _, c := range committees {
		out.Committees++
		if c.Reported {
			out.Reported++
		}
		// Only the steps of the committee's incidents: committees are few,
		// steps many.
		of := map[string][]model.JudicialStep{}
		for _, id := range c.Incidents {
			if of[id], _, err = steps.List(ctx, store.ListFilter{Visible: v, Field: "incident", Value: id, Limit: 1000}); err != nil {
				return out, err
			}
		}
		if prosecutedAfter(c, of) {
			out.Prosecuted++
		}
		if visibleTo(show, c.Visibility) {
			out.Committee = append(out.Committee, c)
		}
	}
	return out, nil
}
