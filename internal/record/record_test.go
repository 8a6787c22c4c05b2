package record

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/vocab"
)

// note is a kind made for these tests, with one field of every input.
type note struct {
	ID               string   `json:"id"`
	Title            string   `json:"title"`
	Body             string   `json:"body,omitempty"`
	Names            []string `json:"names,omitempty"`
	Type             string   `json:"type"`
	Roles            []string `json:"roles,omitempty"`
	Place            string   `json:"place,omitempty"`
	Year             int      `json:"year,omitempty"`
	Dead             int      `json:"dead"`
	Public           bool     `json:"public"`
	On               string   `json:"on,omitempty"`
	Person           string   `json:"person,omitempty"`
	Visibility       string   `json:"visibility"`
	model.SealedText `json:"-"`
	model.Meta
}

var notes = New(Kind[note]{Name: "note", Path: "/notes", Group: model.GroupRecord,
	Fields: []Field{
		{Name: "title", Input: Text, Required: true, Sealed: true, Search: true},
		{Name: "body", Input: Textarea, Max: 50, Sealed: true},
		{Name: "names", Input: Lines, Sealed: true, Search: true},
		{Name: "type", Input: Code, Vocab: vocab.IncidentType, Required: true},
		{Name: "roles", Input: Codes, Vocab: vocab.VictimRole},
		{Name: "place", Input: Admin1},
		{Name: "year", Input: Year},
		{Name: "dead", Input: Count},
		{Name: "public", Input: Bool},
		{Name: "on", Input: Date},
		{Name: "person", Input: Ref, Ref: "person"},
		{Name: "visibility", Input: Code, Vocab: vocab.Visibility, Required: true},
	},
	Check: func(n *note, errs Errors) {
		if n.Dead > 0 && n.Type != "killing" {
			errs.Add("dead", "note.error.dead")
		}
	}})

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func valid() note {
	return note{Title: "A title", Type: "killing", Visibility: model.VisibilityInternal}
}

func TestValidate(t *testing.T) {
	roles := vocab.Get(vocab.VictimRole).Codes()
	for _, c := range []struct {
		name  string
		edit  func(*note)
		field string
		key   string // "" accepted
	}{
		{"valid", func(*note) {}, "", ""},
		{"required text", func(n *note) { n.Title = "" }, "title", ErrRequired},
		{"required code", func(n *note) { n.Type = "" }, "type", ErrRequired},
		{"unknown code", func(n *note) { n.Type = "lunch" }, "type", ErrCode},
		{"long line", func(n *note) { n.Title = strings.Repeat("x", MaxLine+1) }, "title", ErrTooLong},
		{"line at the limit", func(n *note) { n.Title = strings.Repeat("ب", MaxLine) }, "", ""},
		{"long textarea", func(n *note) { n.Body = strings.Repeat("x", 51) }, "body", ErrTooLong},
		{"textarea keeps bidi", func(n *note) { n.Body = "a \u202Eb\u202C c\nd" }, "", ""},
		{"bidi override in a line", func(n *note) { n.Title = "statement\u202Efdp.bat" }, "title", ErrControl},
		{"bidi isolate in a list", func(n *note) { n.Names = []string{"ok", "x\u2066y"} }, "names", ErrControl},
		{"newline in a line", func(n *note) { n.Title = "a\nb" }, "title", ErrControl},
		{"not UTF-8", func(n *note) { n.Title = "a\xffb" }, "title", ErrControl},
		{"codes in order", func(n *note) { n.Roles = []string{roles[0], roles[2]} }, "", ""},
		{"codes out of order", func(n *note) { n.Roles = []string{roles[2], roles[0]} }, "roles", ErrCode},
		{"codes twice", func(n *note) { n.Roles = []string{roles[1], roles[1]} }, "roles", ErrCode},
		{"unknown of codes", func(n *note) { n.Roles = []string{"astronaut"} }, "roles", ErrCode},
		{"governorate", func(n *note) { n.Place = "IQ-BA" }, "", ""},
		{"no such governorate", func(n *note) { n.Place = "IQ-XX" }, "place", ErrCode},
		{"year", func(n *note) { n.Year = 1990 }, "", ""},
		{"year too early", func(n *note) { n.Year = 1899 }, "year", ErrYear},
		{"year to come", func(n *note) { n.Year = 2027 }, "year", ErrYear},
		{"negative count", func(n *note) { n.Dead = -1 }, "dead", ErrNumber},
		{"date", func(n *note) { n.On = "2019-10-25" }, "", ""},
		{"bad date", func(n *note) { n.On = "2019-02-30" }, "on", ErrDate},
		{"future date", func(n *note) { n.On = "2026-12-08" }, "on", ErrFuture},
		{"today", func(n *note) { n.On = "2026-12-07" }, "", ""},
		{"rule across fields", func(n *note) { n.Type = "kidnapping"; n.Dead = 1 }, "dead", "note.error.dead"},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := valid()
			c.edit(&n)
			errs := notes.Validate(&n, now)
			if c.key == "" {
				if len(errs) != 0 {
					t.Fatalf("refused: %v", errs)
				}
				return
			}
			if errs[c.field] != c.key || len(errs) != 1 {
				t.Fatalf("got %v, want only %s: %s", errs, c.field, c.key)
			}
		})
	}
}

func TestApplyAndFormOf(t *testing.T) {
	roles := vocab.Get(vocab.VictimRole).Codes()
	posted := url.Values{"title": {"  Tahsin  "}, "body": {"line one\r\nline two "}, "names": {"a\n\n b \na"},
		"type": {"killing"}, "roles": {roles[2], roles[0], roles[2]}, "place": {"IQ-BG"}, "year": {"١٩٩٠"},
		"dead": {"2"}, "public": {"on"}, "on": {"٢٠١٩-١٠-٢٥"}, "visibility": {"public"}, "version": {"3"},
		"unknown": {"ignored"}}
	f := notes.ReadForm("an-id", posted)
	if f.ID != "an-id" || f.Version != "3" || f.Get("unknown") != "" {
		t.Fatalf("form %+v", f)
	}
	var n note
	if errs := notes.Apply(f, &n, now); len(errs) != 0 {
		t.Fatalf("refused: %v", errs)
	}
	want := note{Title: "Tahsin", Body: "line one\nline two", Names: []string{"a", "b"}, Type: "killing",
		Roles: []string{roles[0], roles[2]}, Place: "IQ-BG", Year: 1990, Dead: 2, Public: true, On: "2019-10-25",
		Visibility: "public"}
	if !reflect.DeepEqual(n, want) {
		t.Fatalf("applied\n%+v\nwant\n%+v", n, want)
	}
	// The stored record's form applies to the same record.
	n.Meta.Version = 4
	back := notes.FormOf(&n)
	if back.Version != "4" || !back.Has("roles", roles[2]) || !back.Checked("public") || back.Get("names") != "a\nb" {
		t.Fatalf("FormOf: %+v", back)
	}
	var again note
	again.Meta.Version = 4
	if errs := notes.Apply(back, &again, now); len(errs) != 0 || !reflect.DeepEqual(again, n) {
		t.Fatalf("round trip: %v\n%+v\n%+v", errs, again, n)
	}
}

func TestApplyRefusedLeavesRecord(t *testing.T) {
	n := valid()
	before := n
	f := notes.ReadForm("", url.Values{"title": {"new"}, "type": {"killing"}, "year": {"nineteen"},
		"visibility": {"internal"}, "on": {"yesterday"}})
	errs := notes.Apply(f, &n, now)
	if errs["year"] != ErrYear || errs["on"] != ErrDate || len(errs) != 2 {
		t.Fatalf("errors %v", errs)
	}
	if !reflect.DeepEqual(n, before) {
		t.Fatalf("record changed by a refused form: %+v", n)
	}
}

func TestTakePutText(t *testing.T) {
	n := valid()
	n.Body, n.Names = "what was said", []string{"x", "y"}
	full := n
	text := notes.TakeText(&n)
	if n.Title != "" || n.Body != "" || n.Names != nil || n.Type != "killing" {
		t.Fatalf("after TakeText: %+v", n)
	}
	if notes.ClearText(&n) != "" || notes.ClearText(&full) != "title" {
		t.Fatal("ClearText")
	}
	if string(text) != `{"body":"what was said","names":["x","y"],"title":"A title"}` {
		t.Fatalf("sealed text %s", text)
	}
	if err := notes.PutText(&n, text); err != nil || !reflect.DeepEqual(n, full) {
		t.Fatalf("PutText: %v\n%+v", err, n)
	}
	// A field that is not (or no longer) sealed is never filled from sealed text.
	var m note
	if err := notes.PutText(&m, []byte(`{"type":"kidnapping","gone":"x"}`)); err != nil || m.Type != "" {
		t.Fatalf("PutText of unsealed fields: %v %+v", err, m)
	}
	if err := notes.PutText(&m, []byte(`{"title":5}`)); err == nil {
		t.Fatal("a number as a title was put back")
	}
	if got := notes.SearchText(&full); got != "A title x y" {
		t.Fatalf("search text %q", got)
	}
}

func TestNewRefusesMismatches(t *testing.T) {
	for name, f := range map[string]func(){
		"no such field": func() { New(Kind[note]{Name: "x", Fields: []Field{{Name: "nope", Input: Text}}}) },
		"wrong type":    func() { New(Kind[note]{Name: "x", Fields: []Field{{Name: "year", Input: Text}}}) },
		"no vocabulary": func() { New(Kind[note]{Name: "x", Fields: []Field{{Name: "type", Input: Code, Vocab: "nope"}}}) },
		"twice":         func() { New(Kind[note]{Name: "x", Fields: []Field{{Name: "title"}, {Name: "title"}}}) },
		"no meta": func() {
			New(Kind[struct {
				ID         string `json:"id"`
				Visibility string `json:"visibility"`
			}]{Name: "x"})
		},
		"sealed text without SealedText": func() {
			New(Kind[struct {
				ID         string `json:"id"`
				Visibility string `json:"visibility"`
				model.Meta
			}]{Name: "x", Group: model.GroupRecord})
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			f()
		})
	}
}

func TestAccessors(t *testing.T) {
	n := valid()
	notes.SetID(&n, "id-1")
	notes.Meta(&n).Version = 7
	if notes.ID(&n) != "id-1" || n.Version != 7 || notes.Visibility(&n) != "internal" || notes.Label("title") != "note.title" {
		t.Fatalf("%+v", n)
	}
}
