package protection_test

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/migrations"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// The board is one query over each case's stored next check-in day: its
// order is the rule's (protection.Before over DueOf), on both backends,
// after check-ins, a changed schedule, a closed case, and after the day
// is rebuilt by migration 0031 from the other columns.
func TestBoardInSQL(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st) // today is 2026-03-10
		s, u := f.svc, f.member
		levels := []string{"low", "medium", "high", "critical"}
		var cases []*model.ProtectionCase
		for i := range 24 {
			p := f.newPerson(fmt.Sprintf("Person %d", i))
			c := must(s.Cases.Save(f.ctx, u, nil, form(kinds.ProtectionCase, "person", p.ID, "risk_level", levels[i%4],
				"status", "open", "opened_on", fmt.Sprintf("2026-02-%02d", 1+i), "checkin_every", fmt.Sprint(2+i%9)), f.seal))
			if i%3 == 0 {
				must(s.SaveCheckIn(f.ctx, u, nil, form(kinds.CheckIn, "case_id", c.ID, "checked_on", fmt.Sprintf("2026-03-%02d", 1+i%9),
					"result", "safe"), f.seal))
			}
			cases = append(cases, c)
		}
		// A schedule changed today: due no earlier than today.
		c5, err := s.Cases.Get(f.ctx, u, cases[5].ID, false)
		if err != nil {
			t.Fatal(err)
		}
		open(f, kinds.ProtectionCase, c5) // its person is sealed
		must(s.Cases.Save(f.ctx, u, c5, form(kinds.ProtectionCase, "person", c5.Person, "risk_level", c5.RiskLevel,
			"status", "open", "opened_on", c5.OpenedOn, "checkin_every", "1", "version", fmt.Sprint(c5.Version)), f.seal))
		c7, _ := s.Cases.Get(f.ctx, u, cases[7].ID, false)
		open(f, kinds.ProtectionCase, c7)
		must(s.Cases.Save(f.ctx, u, c7, form(kinds.ProtectionCase, "person", c7.Person, "risk_level", c7.RiskLevel,
			"status", "closed", "opened_on", c7.OpenedOn, "checkin_every", "3", "version", fmt.Sprint(c7.Version)), f.seal))

		check := func(when string) {
			t.Helper()
			rows, err := s.Board(f.ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 23 {
				t.Fatalf("%s: %d rows, want 23 (one closed)", when, len(rows))
			}
			want := slices.Clone(rows)
			slices.SortStableFunc(want, func(a, b protection.Row) int {
				switch {
				case protection.Before(&a, &b):
					return -1
				case protection.Before(&b, &a):
					return 1
				}
				return 0
			})
			if codes(rows) != codes(want) {
				t.Errorf("%s: the board's order\n got %s\nwant %s", when, codes(rows), codes(want))
			}
			var due []protection.Row
			for _, r := range want {
				if r.Due.State != protection.StateOK {
					due = append(due, r)
				}
			}
			dues, err := s.Dues(f.ctx, u)
			if err != nil || len(due) == 0 || len(due) == len(want) || codes(dues) != codes(due) {
				t.Errorf("%s: dues %s, want %s (%v)", when, codes(dues), codes(due), err)
			}
			top, more, err := s.BoardTop(f.ctx, u, 5)
			if err != nil || !more || codes(top) != codes(want[:5]) {
				t.Errorf("%s: the top 5 (more: %v): %s (%v)", when, more, codes(top), err)
			}
			if all, more, err := s.BoardTop(f.ctx, u, 23); err != nil || more || codes(all) != codes(want) {
				t.Errorf("%s: the top 23 of 23 (more: %v): %s (%v)", when, more, codes(all), err)
			}
			if rows, err := s.Board(f.ctx, f.coord); err != nil || len(rows) != 0 {
				t.Errorf("%s: a non-member's board: %d rows, %v", when, len(rows), err)
			}
		}
		check("as written")
		// The upgrade: the day rebuilt from the other columns.
		db := st.(interface{ SQL() *sql.DB }).SQL()
		if _, err := db.Exec(`UPDATE protection_cases SET due_on = '9999-12-31'`); err != nil {
			t.Fatal(err)
		}
		ms, err := migrations.For(st.Backend())
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(ms, func(m migrations.Migration) bool { return m.Name == "case_due" })
		if i < 0 {
			t.Fatal("no migration case_due")
		}
		for _, stmt := range strings.Split(ms[i].SQL, ";") {
			if strings.Contains(stmt, "UPDATE protection_cases") {
				if _, err := db.Exec(stmt); err != nil {
					t.Fatal(err)
				}
			}
		}
		check("after migration 0031's update")
	})
}

func codes(rows []protection.Row) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.Case.Code + " ")
	}
	return b.String()
}
