package opendata

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/redact"
	"github.com/rasd-project/rasd/internal/store"
)

// fakeStore makes n public incidents on demand; every tenth is merged
// into another (listed as public, withheld by redact). Only the two
// methods Pager uses are implemented.
type fakeStore struct {
	store.Store
	n       int
	failAt  int // GetIncident of this index fails (0: never)
	queries []store.IncidentFilter
}

func (f *fakeStore) ListIncidents(_ context.Context, flt store.IncidentFilter) ([]store.IncidentHit, int, error) {
	f.queries = append(f.queries, flt)
	if !slices.Equal(flt.Visible.Levels, []string{model.VisibilityPublic}) || flt.Visible.OwnedBy != "" {
		return nil, 0, errors.New("the pager must list public incidents only")
	}
	var hits []store.IncidentHit
	for i := flt.Offset; i < f.n && len(hits) < flt.Limit; i++ {
		hits = append(hits, store.IncidentHit{ID: strconv.Itoa(i)})
	}
	return hits, f.n, nil
}

func (f *fakeStore) GetIncident(_ context.Context, id string) (*model.Incident, error) {
	i, _ := strconv.Atoi(id)
	if f.failAt > 0 && i == f.failAt {
		return nil, errors.New("disk on fire")
	}
	inc := incident(fmt.Sprintf("IQ-2019-%06d", i), "killing")
	if i%10 == 9 {
		inc.MergedInto = "other"
	}
	return inc, nil
}

func TestPager(t *testing.T) {
	st := &fakeStore{n: 25}
	pg := &Pager{Store: st, PageSize: 10, Sort: "updated", Desc: true}
	var codes []string
	for p := range pg.Records(t.Context()) {
		codes = append(codes, p.Code)
	}
	if pg.Err() != nil || len(codes) != 23 || pg.Withheld != 2 || codes[0] != "IQ-2019-000000" || slices.Contains(codes, "IQ-2019-000009") {
		t.Errorf("codes %v, withheld %d, err %v", codes, pg.Withheld, pg.Err())
	}
	if len(st.queries) != 3 || st.queries[2].Offset != 20 || st.queries[0].Sort != "updated" || st.queries[0].Asc {
		t.Errorf("queries %+v", st.queries)
	}

	pg = &Pager{Store: &fakeStore{n: 25}, Max: 5}
	n := 0
	for range pg.Records(t.Context()) {
		n++
	}
	if n != 5 {
		t.Errorf("Max 5 gave %d", n)
	}

	pg = &Pager{Store: &fakeStore{n: 25, failAt: 12}, PageSize: 10}
	n = 0
	for range pg.Records(t.Context()) {
		n++
	}
	if n != 11 || pg.Err() == nil || !strings.Contains(pg.Err().Error(), "disk on fire") {
		t.Errorf("after a failure: %d records, err %v", n, pg.Err())
	}

	pg = &Pager{Store: &fakeStore{n: 3}}
	var ms []redact.Memorial
	for m := range pg.Memorials(t.Context()) {
		ms = append(ms, m)
	}
	if len(ms) != 3 || ms[0].NameLatin != "Huda Karim" || ms[0].Incident != "IQ-2019-000000" {
		t.Errorf("memorials %+v", ms)
	}

	pg = &Pager{Store: &fakeStore{n: 12}, PageSize: 5}
	n, ms = 0, nil
	for p, m := range pg.Published(t.Context()) {
		n++
		ms = append(ms, m...)
		if len(m) > 0 && m[0].Incident != p.Code {
			t.Errorf("memorial of %s given with %s", m[0].Incident, p.Code)
		}
	}
	if n != 11 || len(ms) != 11 || pg.Withheld != 1 || pg.Err() != nil {
		t.Errorf("published %d, memorials %d, withheld %d, err %v", n, len(ms), pg.Withheld, pg.Err())
	}
}

func TestTeeAndRedacted(t *testing.T) {
	incs := []*model.Incident{incident("IQ-1", "killing"), incident("IQ-2", "assault", func(i *model.Incident) { i.Visibility = "internal" }),
		incident("IQ-3", "kidnapping")}
	var csvOut, jsonOut bytes.Buffer
	n, err := WriteAll(Tee(NewCSV(&csvOut, CSVOptions{}), NewJSONLines(&jsonOut)), Redacted(slices.Values(incs), redact.Options{}))
	if err != nil || n != 2 {
		t.Fatalf("wrote %d, %v", n, err)
	}
	if strings.Count(csvOut.String(), "\n") != 3 || strings.Count(jsonOut.String(), "\n") != 2 || strings.Contains(csvOut.String(), "IQ-2,") {
		t.Errorf("csv %q\njson %q", csvOut.String(), jsonOut.String())
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrors(t *testing.T) {
	ps := samples(t)
	for name, w := range map[string]Writer{
		"csv": NewCSV(failWriter{}, CSVOptions{}), "json": NewJSON(failWriter{}), "jsonl": NewJSONLines(failWriter{}),
		"geojson": NewGeoJSON(failWriter{}), "acled": NewACLED(failWriter{}, ACLEDOptions{}), "atom": NewAtom(failWriter{}, feed("en")),
	} {
		if _, err := WriteAll(w, generated(10_000, ps[0])); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: error %v, want disk full", name, err)
		}
	}
}

// TestCloseTwice: a deferred Close after WriteAll must not corrupt a file.
func TestCloseTwice(t *testing.T) {
	ps := samples(t)
	for name, newW := range map[string]func(*bytes.Buffer) Writer{
		"csv": func(b *bytes.Buffer) Writer { return NewCSV(b, CSVOptions{}) }, "json": newJSON, "jsonl": newJSONLines,
		"geojson": newGeoJSON, "acled": func(b *bytes.Buffer) Writer { return NewACLED(b, ACLEDOptions{}) },
		"atom": func(b *bytes.Buffer) Writer { return NewAtom(b, feed("en")) },
	} {
		var b bytes.Buffer
		w := newW(&b)
		if _, err := WriteAll(w, slices.Values(ps)); err != nil {
			t.Fatal(err)
		}
		n := b.Len()
		if err := w.Close(); err != nil || b.Len() != n {
			t.Errorf("%s: second Close wrote %d bytes, err %v", name, b.Len()-n, err)
		}
	}
}
