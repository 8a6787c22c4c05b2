package justice_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/accountability"
	"github.com/rasd-project/rasd/internal/justice"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

var (
	analyst = &model.User{Username: "hana", Role: model.RoleAnalyst}
	now     = func() time.Time { return time.Date(2020, 8, 12, 10, 0, 0, 0, time.UTC) }
	all     = store.ListFilter{Visible: store.Visible{Levels: []string{"public", "internal", "restricted"}}}
)

func noKey(context.Context) (*keys.RecordSealer, string, error) { return nil, records.ErrNeedsKey, nil }

func values(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

func TestCommitmentRefusals(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		svc := justice.New(st, now)
		base := []string{"authority_type", "prime_minister", "made_on", "2020-01-12", "kind", "investigation",
			"promise_en", "Results within three months", "visibility", "public"}
		for _, c := range []struct {
			name, field, want string
			kv                []string
		}{
			{"deadline before made", "deadline_date", accountability.ErrDeadlineBefore.Error(), []string{"deadline_date", "2020-01-11"}},
			{"zero duration", "deadline_duration", accountability.ErrDurationZero.Error(), []string{"deadline_duration", "0m"}},
			{"not a duration", "deadline_duration", accountability.ErrDuration.Error(), []string{"deadline_duration", "three months"}},
			{"both", "deadline_duration", accountability.ErrDeadlineBoth.Error(), []string{"deadline_duration", "3m", "deadline_date", "2020-04-12"}},
			{"status tomorrow", "status_history", accountability.ErrHistoryFuture.Error(), []string{"status_history", "2020-08-13 fulfilled"}},
			{"overdue typed", "status_history", accountability.ErrHistoryStatus.Error(), []string{"status_history", "2020-05-01 overdue"}},
		} {
			f := kinds.Commitment.ReadForm("", values(append(base, c.kv...)...))
			_, errs, err := svc.Commitments.Save(ctx, analyst, nil, f, noKey)
			if err != nil || errs[c.field] != c.want {
				t.Errorf("%s: %v %v, want %s: %s", c.name, errs, err, c.field, c.want)
			}
		}
		if _, n, _ := svc.Commitments.Store.List(ctx, all); n != 0 {
			t.Fatalf("%d commitments stored from refused forms", n)
		}
		f := kinds.Commitment.ReadForm("", values(append(base, "deadline_duration", "3m", "status_history", "2020-08-12 pending")...))
		c, errs, err := svc.Commitments.Save(ctx, analyst, nil, f, noKey)
		if err != nil || len(errs) > 0 {
			t.Fatalf("%v %v", errs, err)
		}
		l, over := accountability.Overdue(accountability.DayOf(time.Date(2020, 1, 12, 0, 0, 0, 0, time.UTC)),
			accountability.Deadline{Duration: accountability.Duration{N: 3, Unit: accountability.Months}}, accountability.Pending, svc.Today())
		if !over || l.Months != 4 || c.DeadlineDuration != "3m" {
			t.Errorf("overdue %v %+v", over, l)
		}
	})
}

func TestJudicialTrack(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		svc := justice.New(st, now)
		inc := storetest.Incident()
		if err := st.CreateIncident(ctx, "doc", &inc); err != nil {
			t.Fatal(err)
		}
		save := func(kv ...string) record.Errors {
			t.Helper()
			f := kinds.JudicialStep.ReadForm("", values(append([]string{"incident", inc.Code, "visibility", "internal"}, kv...)...))
			_, errs, err := svc.Steps.Save(ctx, analyst, nil, f, noKey)
			if err != nil {
				t.Fatal(err)
			}
			return errs
		}
		count := func() int {
			_, n, _ := svc.Steps.Store.List(ctx, all)
			return n
		}
		if errs := save("step", "verdict_convicted", "date", "2020-04-01", "who", "the gunman", "role", "perpetrator"); errs["step"] != accountability.ErrVerdictNoTrial.Error() {
			t.Errorf("a verdict with no trial: %v", errs)
		}
		if errs := save("step", "arrest", "date", "2020-05-01", "who", "the gunman", "role", "perpetrator"); len(errs) > 0 {
			t.Fatal(errs)
		}
		if errs := save("step", "trial", "date", "2020-03-01"); len(errs) > 0 {
			t.Fatal(errs)
		}
		if errs := save("step", "verdict_convicted", "date", "2020-04-01", "who", "the gunman", "role", "perpetrator"); errs["date"] != accountability.ErrConvictionBefore.Error() {
			t.Errorf("a conviction before the arrest: %v", errs)
		}
		if errs := save("step", "arrest", "date", "2020-05-01", "role", "perpetrator"); errs["role"] == "" {
			t.Errorf("a role with no one: %v", errs)
		}
		if n := count(); n != 2 {
			t.Fatalf("%d steps stored, want the 2 accepted", n)
		}
		tr, err := svc.TrackOf(ctx, analyst, inc.ID)
		if err != nil || len(tr.Steps) != 2 || tr.Class != accountability.Complete || tr.Steps[0].Step != "trial" {
			t.Fatalf("track %+v, %v", tr, err)
		}
		if errs := save("step", "verdict_convicted", "date", "2020-06-01", "who", "the gunman", "role", "perpetrator"); len(errs) > 0 {
			t.Fatal(errs)
		}
		if tr, _ = svc.TrackOf(ctx, analyst, inc.ID); tr.Class != accountability.Partial {
			t.Errorf("gunman convicted, instigator unknown: %s", tr.Class)
		}
		if errs := save("step", "no_instigator", "date", "2020-06-01"); len(errs) > 0 {
			t.Fatal(errs)
		}
		if tr, _ = svc.TrackOf(ctx, analyst, inc.ID); tr.Class != accountability.Justice {
			t.Errorf("gunman convicted, acted alone: %s", tr.Class)
		}
	})
}
