package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/searchtext"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
)

const incidentCols = `rid, id, code, type, date_start, date_end, date_precision, date_estimated,
	country, admin1, district, locality, lat, lon, geo_precision, place_derived, fatalities,
	summary_en, summary_ar, narrative_en, narrative_ar, verification, motive_link,
	visibility, consent, tags, merged_into, ext_system, ext_id, ext_original,
	version, created_at, updated_at, created_by, updated_by`

// CreateIncident implements store.Store.
func (s *DB) CreateIncident(ctx context.Context, actor string, inc *model.Incident) error {
	return s.write(ctx, func(t *Tx) error { return t.createIncident(ctx, actor, "create", inc) })
}

// UpdateIncident implements store.Store.
func (s *DB) UpdateIncident(ctx context.Context, actor string, inc *model.Incident) error {
	return s.write(ctx, func(t *Tx) error {
		_, err := t.updateIncident(ctx, actor, "update", inc, false)
		return err
	})
}

func (t *Tx) createIncident(ctx context.Context, actor, action string, inc *model.Incident) error {
	now := t.s.clock()
	inc.ID = uuid.Must(uuid.NewV7()).String()
	var err error
	if inc.Sealed, err = sealNow(inc.SealedText, nil, store.KindIncident, inc.ID, inc.Visibility); err != nil {
		return err
	}
	if f := clearIncidentText(inc); inc.Sealed != nil && f != "" {
		return errClearText(store.KindIncident, inc.ID, f)
	}
	code, err := t.nextCode(ctx, inc)
	if err != nil {
		return err
	}
	inc.Code = code
	if err := t.resolveVictims(ctx, actor, inc, nil); err != nil {
		return err
	}
	inc.Meta = newMeta(now, actor)
	ext := externalCols(inc)
	var rid int64
	err = t.QueryRow(ctx, `INSERT INTO incidents (`+strings.ReplaceAll(incidentCols, "rid, ", "")+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING rid`,
		append(append([]any{inc.ID, inc.Code}, incidentValues(inc)...), ext[0], ext[1], ext[2], 1, now, now, actor, actor)...).Scan(&rid)
	if err != nil {
		return fmt.Errorf("store incident: %w", err)
	}
	if err := t.writeChildren(ctx, rid, inc, false); err != nil {
		return err
	}
	if err := t.syncSealed(ctx, actor, store.KindIncident, inc.ID, nil, inc.Sealed); err != nil {
		return err
	}
	return t.keep(ctx, record{kind: store.KindIncident, id: inc.ID, actor: actor, action: action, version: 1,
		snapshot: incidentSnapshot(inc), at: now})
}

// updateIncident replaces the stored incident with inc. With byExternal the
// caller's version is not checked (an import states the truth of its
// source). It reports whether anything changed.
func (t *Tx) updateIncident(ctx context.Context, actor, action string, inc *model.Incident, byExternal bool) (bool, error) {
	// A write that may seal or unseal what sources said takes the audit
	// lock before it reads, as adding information does: information added
	// concurrently is then committed and seen by sealSaid, or waits.
	if inc.Visibility == model.VisibilityRestricted || inc.Key != nil {
		if err := t.lockAudit(ctx); err != nil {
			return false, err
		}
	}
	old, rid, err := t.s.getIncident(ctx, t, "id", inc.ID)
	if err != nil {
		return false, err
	}
	if !byExternal && old.Version != inc.Version {
		return false, store.ErrConflict
	}
	inc.Code, inc.Meta = old.Code, old.Meta
	var reuse *model.Incident // an import re-states its victims in order
	if byExternal {
		reuse = old
		inc.MergedInto = old.MergedInto // a re-import updates a merged duplicate; it stays merged
	}
	if err := t.resolveVictims(ctx, actor, inc, reuse); err != nil {
		return false, err
	}
	if old.Sealed, err = t.recordSealed(ctx, store.KindIncident, old.ID); err != nil {
		return false, err
	}
	if inc.Sealed, err = sealNow(inc.SealedText, old.Sealed, store.KindIncident, inc.ID, inc.Visibility); err != nil {
		return false, err
	}
	if f := clearIncidentText(inc); inc.Sealed != nil && f != "" {
		return false, errClearText(store.KindIncident, inc.Code, f)
	}
	prev, next := incidentSnapshot(old), incidentSnapshot(inc)
	if same(prev, next) {
		inc.Meta = old.Meta
		return false, t.sealSaid(ctx, actor, old, inc)
	}
	// Before anything is written (sealing purges the history).
	if err := t.keepImported(ctx, store.KindIncident, inc.ID, prev, old.Meta); err != nil {
		return false, err
	}
	now := t.s.clock()
	inc.Version, inc.UpdatedAt, inc.UpdatedBy = old.Version+1, now, actor
	ext := externalCols(inc)
	_, err = t.Exec(ctx, `UPDATE incidents SET type = ?, date_start = ?, date_end = ?, date_precision = ?, date_estimated = ?,
		country = ?, admin1 = ?, district = ?, locality = ?, lat = ?, lon = ?, geo_precision = ?, place_derived = ?, fatalities = ?,
		summary_en = ?, summary_ar = ?, narrative_en = ?, narrative_ar = ?, verification = ?, motive_link = ?,
		visibility = ?, consent = ?, tags = ?, merged_into = ?, ext_system = ?, ext_id = ?, ext_original = ?,
		version = ?, updated_at = ?, updated_by = ? WHERE rid = ?`,
		append(incidentValues(inc), ext[0], ext[1], ext[2], inc.Version, now, actor, rid)...)
	if err != nil {
		return false, fmt.Errorf("update incident %s: %w", inc.Code, err)
	}
	if err := t.writeChildren(ctx, rid, inc, true); err != nil {
		return false, err
	}
	if err := t.sealSaid(ctx, actor, old, inc); err != nil {
		return false, err
	}
	sealing, err := t.sealUpdate(ctx, actor, store.KindIncident, inc.ID, old.Sealed, inc.Sealed)
	if err != nil {
		return false, err
	}
	return true, t.keep(ctx, record{kind: store.KindIncident, id: inc.ID, actor: actor, action: action,
		version: inc.Version, snapshot: next, previous: prev, at: now, sealing: sealing})
}

func incidentValues(inc *model.Incident) []any {
	tags, _ := json.Marshal(orEmpty(inc.Tags))
	end := inc.Date.End
	if end == "" {
		end = inc.Date.Start
	}
	return []any{inc.Type, inc.Date.Start, end, inc.Date.Precision, inc.Date.Estimated,
		inc.Place.Country, inc.Place.Admin1, inc.Place.District, inc.Place.Locality,
		nullFloat(inc.Place.Lat), nullFloat(inc.Place.Lon), inc.Place.GeoPrecision, inc.Place.Derived, inc.Fatalities,
		inc.SummaryEN, inc.SummaryAR, inc.NarrativeEN, inc.NarrativeAR, inc.Verification, inc.MotiveLink,
		inc.Visibility, inc.Consent, string(tags), inc.MergedInto}
}

func externalCols(inc *model.Incident) [3]any {
	if inc.External == nil {
		return [3]any{nil, nil, nil}
	}
	orig, _ := json.Marshal(inc.External.Original)
	return [3]any{inc.External.System, inc.External.ID, string(orig)}
}

// writeChildren stores perpetrators, victims, the blocking keys and the
// search text.
func (t *Tx) writeChildren(ctx context.Context, rid int64, inc *model.Incident, replace bool) error {
	if replace {
		if _, err := t.Exec(ctx, `DELETE FROM perpetrators WHERE incident_rid = ?`, rid); err != nil {
			return err
		}
		if _, err := t.Exec(ctx, `DELETE FROM victims WHERE incident_rid = ?`, rid); err != nil {
			return err
		}
		if err := t.deletePairsOf(ctx, rid); err != nil { // what they scored may have changed
			return err
		}
	}
	// One statement per table, however many rows.
	if n := len(inc.Perpetrators); n > 0 {
		args := make([]any, 0, 5*n)
		for i, p := range inc.Perpetrators {
			args = append(args, rid, i, p.Type, p.Group, p.ModusOperandi)
		}
		if _, err := t.Exec(ctx, `INSERT INTO perpetrators (incident_rid, seq, type, grp, modus) VALUES `+
			RowsOf("(?, ?, ?, ?, ?)", n), args...); err != nil {
			return err
		}
	}
	if n := len(inc.Victims); n > 0 {
		args := make([]any, 0, 5*n)
		for i, v := range inc.Victims {
			args = append(args, rid, i, v.PersonID, v.Role, v.Outcome)
		}
		// resolveVictims made sure each person exists; were one missing,
		// person_rid would be NULL and the insert refused.
		if _, err := t.Exec(ctx, `INSERT INTO victims (incident_rid, seq, person_rid, role, outcome) VALUES `+
			RowsOf("(?, ?, (SELECT rid FROM persons WHERE id = ?), ?, ?)", n), args...); err != nil {
			return err
		}
	}
	if err := t.writeFacts(ctx, rid, replace); err != nil {
		return err
	}
	if err := t.writeNameKeys(ctx, []int64{rid}, []*model.Incident{inc}, replace); err != nil {
		return err
	}
	return t.indexText(ctx, "incident", rid, incidentText(inc), replace)
}

// incidentText is what an incident is found by (docs/search.md): its
// code, texts and external id; the labels of its type, perpetrators and
// victims' roles and every name of its place, in all languages; its
// locality and its victims' names, with their name keys.
func incidentText(inc *model.Incident) string {
	return withCode(inc.Code, incidentWords(inc))
}

// withCode is the search text of an incident of that code whose other
// words are words (incidentWords): the code's words first, as when it
// led the texts.
func withCode(code string, words []string) string {
	var x searchtext.Index
	x.Text(code)
	lead := x.Words()
	out := make([]string, 0, len(lead)+len(words))
	out = append(out, lead...)
	for _, w := range words { // each once already: only the code's few are looked for
		if !slices.Contains(lead, w) {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// incidentWords are the words of incidentText but its code's, which an
// import works out before the code is given (import_prepare.go).
func incidentWords(inc *model.Incident) []string {
	var x searchtext.Index
	x.Text(strings.Join([]string{inc.SummaryEN, inc.SummaryAR, inc.NarrativeEN, inc.NarrativeAR}, " \n"))
	if inc.External != nil {
		x.Text(inc.External.System + " " + inc.External.ID)
	}
	x.Name(inc.Place.Locality)
	for _, code := range []string{inc.Place.Admin1, inc.Place.District} {
		x.Add(labelWords("place", inc.Place.Country, code)...)
	}
	x.Add(labelWords(vocab.IncidentType, "", inc.Type)...)
	for _, p := range inc.Perpetrators {
		x.Add(labelWords(vocab.PerpetratorType, "", p.Type)...)
	}
	for _, v := range inc.Victims {
		x.Add(labelWords(vocab.VictimRole, "", v.Role)...)
		// A restricted person's names are sealed: never in an incident's index.
		if v.Person != nil && v.Person.Visibility != model.VisibilityRestricted {
			x.Name(kinds.Person.SearchText(v.Person))
		}
	}
	return x.Words()
}

// labelCache holds the index words of each vocabulary term's labels and
// each place's names, made once: an import indexes a million incidents
// over a few hundred of them.
var labelCache sync.Map // "vocabulary/country/code" → []string

// labelWords are the index words of a term's labels in every language
// (vocabulary "place": every name of a place of country's gazetteer,
// with their name keys).
func labelWords(vocabulary, country, code string) []string {
	if code == "" {
		return nil
	}
	key := vocabulary + "/" + country + "/" + code
	if w, ok := labelCache.Load(key); ok {
		return w.([]string)
	}
	var x searchtext.Index
	if vocabulary == "place" {
		for _, n := range vocab.PlaceNames(country, code) {
			x.Name(n)
		}
	} else {
		for _, l := range vocab.TermNames(vocabulary, code) {
			x.Text(l)
		}
	}
	labelCache.Store(key, x.Words())
	return x.Words()
}

// resolveVictims makes every victim point at a stored person: inline
// persons without ID are created (or, when old is given, update the person
// already at that position, so re-importing does not duplicate people).
func (t *Tx) resolveVictims(ctx context.Context, actor string, inc *model.Incident, old *model.Incident) error {
	for i := range inc.Victims {
		v := &inc.Victims[i]
		switch {
		case v.Person != nil && v.Person.ID == "" && v.PersonID == "" && old != nil && i < len(old.Victims):
			v.Person.ID = old.Victims[i].PersonID
			v.Person.Meta = old.Victims[i].Person.Meta
			if _, err := personTable.update(ctx, t, actor, v.Person, true); err != nil {
				return fmt.Errorf("victims[%d].person: %w", i, err)
			}
		case v.Person != nil && v.Person.ID == "" && v.PersonID == "":
			if _, err := personTable.create(ctx, t, actor, v.Person); err != nil {
				return fmt.Errorf("victims[%d].person: %w", i, err)
			}
		case v.PersonID == "" && v.Person != nil:
			v.PersonID = v.Person.ID
		}
		if v.Person != nil {
			v.PersonID = v.Person.ID
		}
		if v.PersonID == "" {
			return fmt.Errorf("victims[%d]: give a person or a person_id", i)
		}
		if v.Person == nil {
			p, _, err := personTable.get(ctx, t, v.PersonID)
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("victims[%d].person_id: no person %s", i, v.PersonID)
			}
			if err != nil {
				return err
			}
			v.Person = p
		}
	}
	return nil
}

// nextCode assigns the readable code COUNTRY-YEAR-NNNN.
func (t *Tx) nextCode(ctx context.Context, inc *model.Incident) (string, error) {
	country, year := inc.Place.Country, "0000"
	if country == "" {
		country = "XX"
	}
	if len(inc.Date.Start) >= 4 {
		year = inc.Date.Start[:4]
	}
	prefix := country + "-" + year
	n, ok := t.codes[prefix]
	if ok {
		n++ // the counter row is this transaction's (locked): count here, store at commit
	} else {
		err := t.QueryRow(ctx, `INSERT INTO code_counters (prefix, next) VALUES (?, 1)
			ON CONFLICT (prefix) DO UPDATE SET next = code_counters.next + 1 RETURNING next`, prefix).Scan(&n)
		if err != nil {
			return "", fmt.Errorf("assign code: %w", err)
		}
		if t.codes == nil {
			t.codes = map[string]int{}
		}
	}
	t.codes[prefix] = n
	return fmt.Sprintf("%s-%04d", prefix, n), nil
}

// flushCodes stores the code counters nextCode advanced in memory.
func (t *Tx) flushCodes(ctx context.Context) error {
	for prefix, n := range t.codes {
		if _, err := t.Exec(ctx, `UPDATE code_counters SET next = ? WHERE prefix = ?`, n, prefix); err != nil {
			return fmt.Errorf("store code counter: %w", err)
		}
	}
	return nil
}

// incidentSnapshot is the incident as kept in history: victims by person ID
// only (persons have their own history), no bookkeeping.
func incidentSnapshot(inc *model.Incident) []byte {
	c := *inc
	c.Meta = model.Meta{}
	c.Victims = make([]model.Victim, len(inc.Victims))
	for i, v := range inc.Victims {
		c.Victims[i] = model.Victim{PersonID: v.PersonID, Role: v.Role, Outcome: v.Outcome}
	}
	if c.Date.End == "" {
		c.Date.End = c.Date.Start
	}
	return withSealed(snapshot(c), inc.Sealed)
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nullFloat(f *float64) sql.NullFloat64 {
	if f == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *f, Valid: true}
}
