package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/vocab"
)

// CPJRecord is one killed journalist of CPJ's export: an incident with its
// victim, and the impunity class CPJ gives it (docs/import-cpj.md).
type CPJRecord struct {
	Line     int
	Incident model.Incident
	Impunity string // accountability's class, or ""
}

// CPJ reads CPJ's export (docs/import-cpj.md) whole and returns its
// records, or every problem: each unknown value of a mapped column once,
// with all the lines it is on, and each other problem with its line. A
// row with no year, name and country holds no journalist and is skipped
// (CPJ's export has two); skipped gives their lines.
func CPJ(r io.Reader, name string) (recs []CPJRecord, skipped []int, err error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, &Error{File: name, Err: errors.New("the file is empty; expected CPJ's CSV export with a header row")}
		}
		return nil, nil, csvProblem(name, err)
	}
	cols, err := cpjHeader(header)
	if err != nil {
		return nil, nil, &Error{File: name, Line: 1, Err: err}
	}
	var problems ErrorList
	unknown := map[string]map[string][]int{} // column → value → lines
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			problems = append(problems, csvProblem(name, err))
			if errors.Is(err, csv.ErrFieldCount) {
				continue
			}
			break
		}
		line, _ := cr.FieldPos(0)
		row := cpjRow{cols: cols, rec: rec}
		if row.get("year") == "" && row.get("fullName") == "" && row.get("country") == "" {
			skipped = append(skipped, line)
			continue
		}
		out, bad := row.record(line, func(col, val string) {
			if unknown[col] == nil {
				unknown[col] = map[string][]int{}
			}
			unknown[col][val] = append(unknown[col][val], line)
		})
		for _, b := range bad {
			b.File, b.Line = name, line
			problems = append(problems, b)
		}
		key := out.Incident.External.ID
		seen[key]++
		if n := seen[key]; n > 1 { // the same name, year and place again: CPJ lists "Unidentified" often
			out.Incident.External.ID += "#" + strconv.Itoa(n)
		}
		recs = append(recs, out)
	}
	problems = append(problems, unknownValues(name, unknown)...)
	if len(problems) > 0 {
		sort.SliceStable(problems, func(i, j int) bool { return problems[i].Line < problems[j].Line })
		if len(problems) == 1 {
			return nil, skipped, problems[0]
		}
		return nil, skipped, problems
	}
	return recs, skipped, nil
}

// unknownValues is one problem per unknown value, at its first line.
func unknownValues(name string, unknown map[string]map[string][]int) ErrorList {
	var out ErrorList
	for col, vals := range unknown {
		for val, lines := range vals {
			out = append(out, &Error{File: name, Line: lines[0], Field: col, column: true,
				Err: fmt.Errorf("unknown value %q on %s; rasd maps only %s (docs/import-cpj.md)", val, linesText(lines), known(col))})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Field < out[j].Field
	})
	return out
}

func linesText(lines []int) string {
	s := make([]string, len(lines))
	for i, l := range lines {
		s[i] = strconv.Itoa(l)
	}
	if len(lines) == 1 {
		return "line " + s[0]
	}
	return "lines " + strings.Join(s, ", ")
}

// known lists a mapped column's values.
func known(col string) string {
	var keys []string
	switch col {
	case "country":
		return "the countries of CPJ's export"
	case "typeOfDeath":
		keys = mapKeys(cpjDeath)
	case "type":
		keys = mapKeys(cpjRole)
	case "motiveConfirmed":
		keys = mapKeys(cpjMotive)
	case "sourcesOfFire":
		keys = mapKeys(cpjFire)
	case "impunityMurder":
		keys = mapKeys(cpjImpunity)
	case "threatened":
		keys = mapKeys(cpjYesNo)
	case "gender":
		keys = mapKeys(cpjGender)
	case "year":
		return "a year from 1900 to this year"
	}
	for i, k := range keys {
		keys[i] = strconv.Quote(k)
	}
	return strings.Join(keys, ", ")
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func cpjHeader(header []string) (map[string]int, error) {
	cols := map[string]int{}
	var unknown []string
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		h = strings.TrimSpace(h)
		if !slices.Contains(CPJColumns, h) {
			unknown = append(unknown, strconv.Quote(h))
		}
		if prev, dup := cols[h]; dup {
			return nil, fmt.Errorf("column %q appears twice (columns %d and %d); keep one", h, prev+1, i+1)
		}
		cols[h] = i
	}
	var missing []string
	for _, c := range CPJRequired {
		if _, ok := cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if missing != nil {
		return nil, fmt.Errorf("missing required columns %s; this does not look like CPJ's export", strings.Join(missing, ", "))
	}
	if unknown != nil {
		return nil, fmt.Errorf("unknown columns %s; use CPJ's column names (%s)", strings.Join(unknown, ", "), strings.Join(CPJColumns, ", "))
	}
	return cols, nil
}

type cpjRow struct {
	cols map[string]int
	rec  []string
}

func (r cpjRow) get(col string) string {
	if i, ok := r.cols[col]; ok && i < len(r.rec) {
		return strings.TrimSpace(r.rec[i])
	}
	return ""
}

// lookup maps a column's value through m, reporting an unknown one.
func lookup[V any](r cpjRow, m map[string]V, col string, unknown func(col, val string)) V {
	v, ok := m[r.get(col)]
	if !ok {
		unknown(col, r.get(col))
	}
	return v
}

func (r cpjRow) record(line int, unknown func(col, val string)) (CPJRecord, []*Error) {
	var bad []*Error
	original := map[string]string{}
	for col, i := range r.cols {
		if i >= len(r.rec) || r.rec[i] == "" {
			continue
		}
		if !utf8.ValidString(r.rec[i]) {
			bad = append(bad, &Error{Field: col, column: true, Err: errors.New("is not valid UTF-8 text; save the file as UTF-8")})
			continue
		}
		original[col] = r.rec[i]
	}
	year, err := strconv.Atoi(r.get("year"))
	if err != nil || year < 1900 || year > time.Now().Year() {
		unknown("year", r.get("year"))
	}
	name := r.get("fullName")
	if name == "" {
		bad = append(bad, &Error{Field: "fullName", column: true, Err: errors.New("is empty; CPJ names every journalist, or writes Unidentified")})
	}
	country := lookup(r, cpjCountries, "country", unknown)
	death := lookup(r, cpjDeath, "typeOfDeath", unknown)
	role := lookup(r, cpjRole, "type", unknown)
	motive := lookup(r, cpjMotive, "motiveConfirmed", unknown)
	impunity := lookup(r, cpjImpunity, "impunityMurder", unknown)
	threatened := lookup(r, cpjYesNo, "threatened", unknown)
	gender := lookup(r, cpjGender, "gender", unknown)
	var perps []model.Perpetrator
	for _, f := range strings.Split(r.get("sourcesOfFire"), ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		t, ok := cpjFire[f]
		if !ok {
			unknown("sourcesOfFire", f)
			continue
		}
		if !slices.ContainsFunc(perps, func(p model.Perpetrator) bool { return p.Type == t }) {
			perps = append(perps, model.Perpetrator{Type: t})
		}
	}
	locality := r.get("locality")
	if locality == "" {
		locality = r.get("location")
	}
	inc := model.Incident{
		Type:         "killing",
		Date:         model.Date{Start: fmt.Sprintf("%04d-01-01", year), End: fmt.Sprintf("%04d-12-31", year), Precision: "year"},
		Place:        model.Place{Country: country, Admin1: cpjAdmin1(country, locality), Locality: truncate(locality, 200)},
		Perpetrators: perps,
		Victims: []model.Victim{{Role: role, Outcome: "killed", Person: &model.Person{NameLatin: truncate(name, 300),
			Gender: gender, Roles: rolesOf(role), Status: "deceased", Visibility: model.VisibilityInternal}}},
		Fatalities:   1,
		Verification: "reported",
		MotiveLink:   motive,
		Visibility:   model.VisibilityInternal,
		External:     &model.External{System: "cpj", ID: fmt.Sprintf("%d/%s/%s/%s", year, country, truncate(name, 100), truncate(locality, 60)), Original: original},
	}
	if inc.Place.Admin1 == "" && inc.Place.Locality == "" {
		inc.Place.GeoPrecision = "country" // CPJ names the country alone
	}
	if death != "" {
		inc.Tags = append(inc.Tags, death)
	}
	if threatened {
		inc.Tags = append(inc.Tags, "threatened_before")
	}
	if org := r.get("organizations"); org != "" {
		inc.SummaryEN = truncate(fmt.Sprintf("%s (%s), killed in %d; CPJ: %s.", name, org, year, r.get("typeOfDeath")), 300)
	} else {
		inc.SummaryEN = truncate(fmt.Sprintf("%s, killed in %d; CPJ: %s.", name, year, r.get("typeOfDeath")), 300)
	}
	return CPJRecord{Line: line, Incident: inc, Impunity: impunity}, bad
}

func rolesOf(role string) []string {
	if role == "" {
		return nil
	}
	return []string{role}
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// cpjAdmin1 finds the governorate CPJ's place names, where the country
// has a gazetteer: a part of the place ("Kalar, Sulaymaniyah") that is a
// governorate's name, else a district's. "" when none is (the figures
// count it apart, docs/counting.md).
func cpjAdmin1(country, place string) string {
	g := vocab.GazetteerFor(country)
	if g == nil || place == "" {
		return ""
	}
	parts := strings.Split(place, ",")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		for _, v := range cpjVague {
			if len(p) > len(v) && strings.EqualFold(p[:len(v)], v) {
				p = p[len(v):]
				break
			}
		}
		if before, _, ok := strings.Cut(p, " and "); ok { // "between Baghdad and Mada'in"
			p = strings.TrimPrefix(before, "between ")
		}
		parts[i] = p
		if gov, ok := vocab.Admin1ByName(country, p); ok {
			return gov.Code
		}
	}
	for _, p := range parts {
		key := fold(p)
		if gov, ok := cpjTowns[key]; ok && country == "IQ" {
			return gov
		}
		for _, gov := range g.Governorates() {
			for _, d := range g.Districts(gov.Code) {
				if fold(d.EN) == key {
					return gov.Code
				}
			}
		}
	}
	return ""
}

// fold is a place name without case, article, spaces or punctuation.
func fold(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"al-", "al ", "el-"} {
		s = strings.TrimPrefix(s, p)
	}
	s = strings.TrimSuffix(s, " district")
	var b strings.Builder
	for _, c := range s {
		if c >= 'a' && c <= 'z' {
			b.WriteRune(c)
		}
	}
	return b.String()
}
