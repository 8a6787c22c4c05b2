package stats_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

func TestSuppress(t *testing.T) {
	h := func(keys ...string) (out []stats.Guarded) {
		for _, k := range keys {
			out = append(out, stats.Guarded{Key: k, Hidden: true})
		}
		return out
	}
	for _, c := range []struct {
		in    map[string]int
		want  []stats.Guarded
		exact bool
	}{
		{map[string]int{"a": 5, "b": 4, "c": 0}, []stats.Guarded{{Key: "a", N: 5}, {Key: "b", N: 4}}, true},
		// One small cell: the smallest shown one is hidden too, or the
		// total less the others would give it.
		{map[string]int{"a": 9, "b": 4, "c": 1}, append([]stats.Guarded{{Key: "a", N: 9}}, h("b", "c")...), true},
		// Two small cells adding up to 3: 1 and 2, or 2 and 1; hidden in
		// the order of their keys, not of their counts.
		{map[string]int{"a": 9, "b": 2, "c": 1}, append([]stats.Guarded{{Key: "a", N: 9}}, h("b", "c")...), true},
		{map[string]int{"a": 9, "c": 2, "b": 1}, append([]stats.Guarded{{Key: "a", N: 9}}, h("b", "c")...), true},
		// Small cells all 1 (or all 2): their sum would tell each of
		// them, so complements are hidden until it cannot (the review's
		// cases: three people killed, abducted, attacked; one each to
		// Jordan and Germany).
		{map[string]int{"safe": 10, "unknown": 5, "killed": 1, "abducted": 1, "attacked": 1},
			append([]stats.Guarded{{Key: "safe", N: 10}}, h("abducted", "attacked", "killed", "unknown")...), true},
		{map[string]int{"TR": 10, "JO": 1, "DE": 1}, h("DE", "JO", "TR"), true},
		// 1 + 1 + 3 = 5 is the only way to fill two small cells and a
		// complement of 3: a second complement is hidden.
		{map[string]int{"a": 10, "b": 3, "c": 1, "d": 1}, h("a", "b", "c", "d"), true},
		// Nothing left to hide: the total must be withheld.
		{map[string]int{"a": 2}, h("a"), false},
		{map[string]int{"a": 2, "b": 2}, h("a", "b"), false},
		{map[string]int{"x": 3, "a": 3}, []stats.Guarded{{Key: "a", N: 3}, {Key: "x", N: 3}}, true},
	} {
		got, exact := stats.Suppress(c.in)
		if !reflect.DeepEqual(got, c.want) || exact != c.exact {
			t.Errorf("Suppress(%v) = %+v, %v; want %+v, %v", c.in, got, exact, c.want, c.exact)
		}
	}
	if g := stats.Withhold(stats.Total(4), false); !g.Hidden || !g.Withheld || g.N != 0 {
		t.Errorf("Withhold(4, false) = %+v", g)
	}
	if g := stats.Withhold(stats.Total(4), true); g.Hidden || g.N != 4 {
		t.Errorf("Withhold(4, true) = %+v", g)
	}
	if got := stats.Total(2); !got.Hidden || got.N != 0 {
		t.Errorf("Total(2) = %+v", got)
	}
	if got := stats.Total(0); got.Hidden || got.N != 0 {
		t.Errorf("Total(0) = %+v", got)
	}
}

// TestCountAtRisk makes the figures of people at risk from records written
// through the service: threats by delivery, governorate, month and role;
// names on a list and what became of them; relocations by the country of
// the latest move, opened with the member's key. A non-member gets none.
func TestCountAtRisk(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		storetest.FastKDF(t)
		member, id := storetest.FirstMember(t, ctx, st, "rana", "rana password 1")
		defer id.Zero()
		coord := storetest.KeyUser(t, ctx, st, "coord", model.RoleCoordinator, "coordinator password")
		now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
		svc := protection.New(st, func() time.Time { return now })
		seal := func(ctx context.Context) (*keys.RecordSealer, string, error) {
			rs, err := keys.NewRecordSealer(ctx, st, id)
			return rs, "", err
		}
		person := func(name string, roles ...string) string {
			p := model.Person{NameLatin: name, Roles: roles, Visibility: model.VisibilityInternal}
			if err := st.Persons().Create(ctx, "doc", &p); err != nil {
				t.Fatal(err)
			}
			return p.ID
		}
		j1, j2, a1 := person("Journalist One", "journalist"), person("Journalist Two", "journalist"), person("Activist", "activist")
		for _, c := range []struct{ on, precision, delivery, gov, persons string }{
			{"2026-01-02", "day", "phone_call", "IQ-BG", j1},
			{"2026-01-20", "day", "phone_call", "IQ-BG", j2},
			{"2026-01-25", "day", "phone_call", "IQ-BG", j1 + "\n" + a1},
			{"2026-02-03", "day", "phone_call", "IQ-BA", a1},
			{"2026-02-04", "day", "message", "IQ-BG", j2},
			{"2026-02-05", "year", "in_person", "IQ-NI", j1}, // in no month
		} {
			must(svc.Threats.Save(ctx, member, nil, form(kinds.Threat, "occurred_on", c.on, "date_precision", c.precision,
				"delivery", c.delivery, "severity", "death", "persons", c.persons, "admin1", c.gov, "said", "Saidcanary"), seal))
		}
		// A list of four names, three matched; one of them killed after it.
		l := must(svc.Lists.Save(ctx, member, nil, form(kinds.HitList, "name", "A list", "appeared_on", "2025-12-01"), seal))
		killed := person("Killed after", "activist")
		for i, p := range []string{j1, a1, killed, ""} {
			must(svc.Entries.Save(ctx, member, nil, form(kinds.HitListEntry, "list_id", l.ID,
				"name_written", fmt.Sprintf("Name %d", i), "person", p), seal))
		}
		inc := model.Incident{Type: "killing", Date: model.Date{Start: "2026-01-10", Precision: "day"}, Place: model.Place{Country: "IQ", Admin1: "IQ-BG"},
			Verification: "verified", Visibility: model.VisibilityInternal, Victims: []model.Victim{{PersonID: killed, Outcome: "killed"}}}
		if err := st.CreateIncident(ctx, "doc", &inc); err != nil {
			t.Fatal(err)
		}
		// Five relocated people: three in Turkey (spelt three ways, one
		// in Arabic: counted under its code), one in Iraq, one in Germany,
		// and one in a place the vocabulary does not know; the first moved
		// on since.
		for i, p := range []string{j1, j2, a1, killed, person("Lawyer", "lawyer"), person("Doctor", "doctor")} {
			c := must(svc.Cases.Save(ctx, member, nil, form(kinds.ProtectionCase, "person", p, "risk_level", "high",
				"status", "open", "opened_on", "2026-01-01", "checkin_every", "7"), seal))
			countries := [][]string{{"Iraq", "تركيا"}, {"turkey "}, {"Türkiye"}, {"Iraq"}, {"Germany"}, {"Atlantis"}}[i]
			for k, country := range countries {
				must(svc.Moves.Save(ctx, member, nil, form(kinds.Move, "case_id", c.ID, "moved_on",
					fmt.Sprintf("2026-02-0%d", k+1), "city", "Somecity", "country", country), seal))
			}
		}
		opened := 0
		open := func(m *model.Move) error {
			opened++
			_, err := keys.OpenRecord(ctx, st, member.Username, id, kinds.Move, m)
			return err
		}
		rs, _, err := seal(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		links, err := svc.Links(ctx, member, rs)
		if err != nil {
			t.Fatal(err)
		}
		got, err := stats.CountAtRisk(ctx, st, svc, member, open, links)
		if err != nil {
			t.Fatal(err)
		}
		hidden := func(keys ...string) (out []stats.Guarded) {
			for _, k := range keys {
				out = append(out, stats.Guarded{Key: k, Hidden: true})
			}
			return out
		}
		// Two of each delivery and governorate cells are 1: with the 4
		// beside them, 1 + 1 + 4 could only be 6 one way, so the 4 is
		// hidden too. The countries' 1 + 1 + 1 + 3 is 6 however the cells
		// are hidden, so the number relocated is withheld.
		want := stats.AtRisk{
			Threats:       stats.Guarded{N: 6},
			ByDelivery:    hidden("in_person", "message", "phone_call"),
			ByGovernorate: hidden("IQ-BA", "IQ-BG", "IQ-NI"),
			ByMonth:       append([]stats.Guarded{{Key: "2026-01", N: 3}}, hidden("", "2026-02")...),
			// The third threat names a journalist and an activist, counted
			// once for each.
			ByRole:    hidden("activist", "journalist"),
			Named:     stats.Guarded{N: 3},
			Attacked:  stats.Guarded{Hidden: true},
			ByOutcome: hidden("killed", "threatened_again"),
			Relocated: stats.Guarded{Hidden: true, Withheld: true},
			ByCountry: hidden("Atlantis", "DE", "IQ", "TR"),
		}

		tk := got.Receipt
		got.Receipt = nil
		if !reflect.DeepEqual(got, want) {
			t.Errorf("figures:\n got %+v\nwant %+v", got, want)
		}
		if opened != 6 || tk == nil || len(tk.Threats) != 6 || len(tk.Named) != 3 || len(tk.Moved) != 6 {
			t.Fatalf("opened %d moves; receipt %+v", opened, tk)
		}
		// The receipt names records by ID and code, never a name or text.
		b, _ := json.Marshal(tk)
		for _, s := range []string{"Journalist", "Name 1", "Somecity", "Saidcanary"} {
			if strings.Contains(string(b), s) {
				t.Errorf("the receipt holds %q: %s", s, b)
			}
		}
		if _, err := stats.CountAtRisk(ctx, st, svc, coord, open, nil); !errors.Is(err, records.ErrNotFound) {
			t.Errorf("a coordinator not a member: %v, want not found", err)
		}
	})
}

func form[T any](k *record.Kind[T], kv ...string) record.Form {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return k.ReadForm("", v)
}

// must stops the test (a panic fails it) on refused fields or an error
// of a save it needs to go on.
func must[T any](r *T, errs record.Errors, err error) *T {
	if err != nil || len(errs) > 0 {
		panic(fmt.Sprintf("save: %v %v", errs, err))
	}
	return r
}
