package justice

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
)

// Demo adds fictional official responses for 'rasd demo', written by u
// (a creator role) over the demo's killings: commitments of every status,
// some past their deadline, a committee that promised results "within
// three months" and never reported, one that did, and judicial tracks
// of every impunity class, so that the tracker, the figures and
// 'rasd commitments due' have something to show. Every text says it is
// fictional; every record is public or internal (none needs a key).
func (s *Service) Demo(ctx context.Context, u *model.User, seal records.Sealer) error {
	today := s.Now().UTC()
	// The demo's incidents at least 400 days old, so that deadlines
	// counted from them have passed: the verified murders first, then the
	// other murders (the impunity figures count only murders, by default
	// verified ones), the other killings, and the rest.
	var ranked [4][]store.IncidentHit
	for offset := 0; offset < 2000; offset += 200 {
		hits, total, err := s.st.ListIncidents(ctx, store.IncidentFilter{To: today.AddDate(0, 0, -400).Format(time.DateOnly),
			Visible: access.Visible(u), Limit: 200, Offset: offset})
		if err != nil {
			return err
		}
		for _, h := range hits {
			if h.Visibility == model.VisibilityRestricted || h.DateStart == "" {
				continue
			}
			rank := 3
			if h.Type == "killing" {
				rank = 2
				if inc, err := s.st.GetIncident(ctx, h.ID); err == nil && stats.IsMurder(inc) {
					rank = 1
					if inc.Verification == "verified" || inc.Verification == "corroborated" {
						rank = 0
					}
				}
			}
			ranked[rank] = append(ranked[rank], h)
		}
		if len(hits) == 0 || offset+len(hits) >= total {
			break
		}
	}
	incs := slices.Concat(ranked[0], ranked[1], ranked[2], ranked[3])
	if len(incs) < 6 {
		return nil // too small a sample for responses to mean anything
	}
	d := &demoSaver{s: s, ctx: ctx, u: u, seal: seal}
	on := func(i, days int) string { // incident i's day plus days
		t, _ := time.Parse(time.DateOnly, incs[i%len(incs)].DateStart)
		return t.AddDate(0, 0, days).Format(time.DateOnly)
	}
	ago := func(days int) string { return today.AddDate(0, 0, -days).Format(time.DateOnly) }
	id := func(i int) string { return incs[i%len(incs)].ID }
	vis := func(i int) string { return incs[i%len(incs)].Visibility }

	// A committee formed after the first killing, promising results within
	// three months; it never reported.
	save(d, s.Committees, "name_en", "Fictional investigative committee into the killing of an activist",
		"name_ar", "لجنة تحقيقية خيالية في اغتيال ناشط", "formed_by_type", "prime_minister",
		"formed_by", "Fictional Prime Minister's office", "formed_on", on(0, 2),
		"mandate", "Fictional: to identify the killers and report within three months.",
		"incidents", id(0), "visibility", vis(0))
	// One that reported, and one after which a prosecution followed.
	save(d, s.Committees, "name_en", "Fictional ministerial committee on the killings of protesters",
		"name_ar", "لجنة وزارية خيالية في قتل المتظاهرين", "formed_by_type", "minister",
		"formed_by", "Fictional Ministry of the Interior", "formed_on", on(1, 5),
		"mandate", "Fictional: to establish who fired.", "incidents", id(1), "reported", "true",
		"reported_on", on(1, 200), "findings", "Fictional: two suspects named; no one was charged.",
		"visibility", vis(1))
	save(d, s.Committees, "name_en", "Fictional parliamentary fact-finding committee",
		"name_ar", "لجنة تقصي حقائق برلمانية خيالية", "formed_by_type", "parliament",
		"formed_on", on(2, 3), "incidents", id(2), "visibility", vis(2))

	for _, c := range []struct {
		inc                     int
		by, name, kind, made    string
		duration, date, history string
		en, ar                  string
	}{
		{0, "prime_minister", "Fictional Prime Minister's office", "committee", on(0, 2), "3m", "", "",
			"Fictional: results of the investigative committee within three months.",
			"خيالي: نتائج اللجنة التحقيقية خلال ثلاثة أشهر."},
		{1, "minister", "Fictional Minister of the Interior", "arrest", on(1, 4), "30d", "", "",
			"Fictional: the killers will be arrested within thirty days.",
			"خيالي: القبض على القتلة خلال ثلاثين يوماً."},
		{2, "judiciary", "Fictional public prosecutor", "investigation", on(2, 1), "2w", "", on(2, 15) + " pending investigation opened\n" + on(2, 300) + " fulfilled",
			"Fictional: an investigation opened within two weeks.", "خيالي: فتح تحقيق خلال أسبوعين."},
		{3, "governor", "Fictional governor", "compensation", on(3, 7), "6m", "", on(3, 120) + " fulfilled",
			"Fictional: compensation for the family within six months.", "خيالي: تعويض العائلة خلال ستة أشهر."},
		{4, "security_command", "Fictional operations command", "protection", on(4, 3), "1m", "", on(4, 60) + " broken",
			"Fictional: protection for the witnesses within a month.", "خيالي: حماية الشهود خلال شهر."},
		{5, "parliament", "Fictional parliamentary committee", "legislation", on(5, 10), "", on(5, 375), on(5, 380) + " partly_fulfilled",
			"Fictional: a law protecting journalists within a year.", "خيالي: قانون لحماية الصحفيين خلال سنة."},
		{6, "president", "Fictional President's office", "statement", on(6, 1), "1y", "", on(6, 30) + " withdrawn",
			"Fictional: a public statement naming those responsible.", "خيالي: بيان علني يسمي المسؤولين."},
		{7, "prime_minister", "Fictional Prime Minister's office", "investigation", on(7, 2), "3m", "", "",
			"Fictional: the killers brought to justice within three months.", "خيالي: تقديم القتلة إلى العدالة خلال ثلاثة أشهر."},
		{8, "krg", "Fictional regional government", "investigation", ago(20), "3m", "", "",
			"Fictional: a report on the attack within three months.", "خيالي: تقرير عن الاعتداء خلال ثلاثة أشهر."},
	} {
		kv := []string{"authority_type", c.by, "authority", c.name, "made_on", c.made, "kind", c.kind,
			"promise_en", c.en, "promise_ar", c.ar, "incidents", id(c.inc), "visibility", vis(c.inc),
			"sources", "Fictional statement reported by a fictional news agency"}
		if c.duration != "" {
			kv = append(kv, "deadline_duration", c.duration)
		}
		if c.date != "" {
			kv = append(kv, "deadline_date", c.date)
		}
		if c.history != "" {
			kv = append(kv, "status_history", c.history)
		}
		save(d, s.Commitments, kv...)
	}

	// Judicial tracks: partial impunity (the gunman convicted, the
	// mastermind not), full justice (both), an acquittal (complete
	// impunity), and a complaint that went nowhere.
	type step struct{ kind, who, role string }
	for _, t := range []struct {
		inc   int
		steps []step
	}{
		{0, []step{{"complaint_filed", "", ""}}},
		{1, []step{{"complaint_filed", "", ""}, {"investigation_opened", "", ""}, {"suspect_identified", "Fictional gunman A", "perpetrator"},
			{"arrest", "Fictional gunman A", "perpetrator"}, {"charge", "Fictional gunman A", "perpetrator"},
			{"suspect_identified", "Fictional commander B", "instigator"}, {"trial", "", ""},
			{"verdict_convicted", "Fictional gunman A", "perpetrator"}, {"sentence", "Fictional gunman A", "perpetrator"}}},
		{2, []step{{"complaint_filed", "", ""}, {"arrest", "Fictional gunman C", "perpetrator"},
			{"arrest", "Fictional organiser D", "instigator"}, {"trial", "", ""},
			{"verdict_convicted", "Fictional gunman C", "perpetrator"}, {"verdict_convicted", "Fictional organiser D", "instigator"}}},
		{3, []step{{"complaint_filed", "", ""}, {"arrest", "Fictional suspect E", "perpetrator"}, {"trial", "", ""},
			{"verdict_acquitted", "Fictional suspect E", "perpetrator"}}},
	} {
		for j, st := range t.steps {
			kv := []string{"incident", id(t.inc), "step", st.kind, "date", on(t.inc, 10+40*j), "visibility", vis(t.inc),
				"notes", "Fictional step."}
			if st.who != "" {
				kv = append(kv, "who", st.who, "role", st.role)
			}
			save(d, s.Steps, kv...)
		}
	}
	return d.err
}

type demoSaver struct {
	s    *Service
	ctx  context.Context
	u    *model.User
	seal records.Sealer
	err  error
}

func save[T any](d *demoSaver, svc *records.Service[T], kv ...string) {
	if d.err != nil {
		return
	}
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	_, errs, err := svc.Save(d.ctx, d.u, nil, svc.Kind.ReadForm("", v), d.seal)
	switch {
	case err != nil:
		d.err = err
	case len(errs) > 0:
		d.err = fmt.Errorf("demo %s: %v", svc.Kind.KindName(), errs)
	}
}
