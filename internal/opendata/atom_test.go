package opendata

import (
	"bytes"
	"encoding/xml"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/redact"
)

func feed(lang string) Feed {
	return Feed{
		Lang: lang, Title: "rasd: new incidents", Author: "Example Monitor",
		SelfURL: "https://example.org/" + lang + "/feed.atom", SiteURL: "https://example.org/",
		Updated: time.Date(2020, 3, 5, 0, 0, 0, 0, time.UTC), TagAuthority: "example.org,2024",
		Link: func(p *redact.Public) string { return "/" + lang + "/incidents/" + p.Code },
	}
}

type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links   []atomTestLink `xml:"link"`
	Entries []struct {
		ID       string       `xml:"id"`
		Title    string       `xml:"title"`
		Updated  string       `xml:"updated"`
		Summary  string       `xml:"summary"`
		Link     atomTestLink `xml:"link"`
		Category struct {
			Term string `xml:"term,attr"`
		} `xml:"category"`
	} `xml:"entry"`
}

type atomTestLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
}

func readAtom(t *testing.T, out []byte) atomDoc {
	t.Helper()
	var doc atomDoc
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, out)
	}
	return doc
}

func TestAtom(t *testing.T) {
	in := append(samples(t), hostile(t))
	for _, lang := range []string{"en", "ar"} {
		var b bytes.Buffer
		if _, err := WriteAll(NewAtom(&b, feed(lang)), slices.Values(in)); err != nil {
			t.Fatal(err)
		}
		doc := readAtom(t, b.Bytes())
		if doc.Lang != lang || doc.ID != "tag:example.org,2024:feed/"+lang || doc.Title == "" || doc.Updated != "2020-03-05T00:00:00Z" ||
			doc.Author.Name != "Example Monitor" {
			t.Errorf("%s feed head: %+v", lang, doc)
		}
		if !slices.ContainsFunc(doc.Links, func(l atomTestLink) bool {
			return l.Rel == "self" && l.Href == "https://example.org/"+lang+"/feed.atom"
		}) {
			t.Errorf("%s: no rel=self link: %+v", lang, doc.Links)
		}
		if len(doc.Entries) != len(in) {
			t.Fatalf("%s: %d entries, want %d", lang, len(doc.Entries), len(in))
		}
		ids := map[string]bool{}
		for i, e := range doc.Entries {
			p := in[i]
			summary := locale.Pick(lang, p.SummaryAR, p.SummaryEN)
			wantID := "tag:example.org,2024:incident/" + p.Code + "/" + lang
			if e.ID != wantID || ids[e.ID] || e.Title == "" || strings.HasSuffix(e.Title, ".") || e.Updated != "2020-03-04T00:00:00Z" ||
				e.Summary != summary || e.Category.Term != p.Type ||
				e.Link.Rel != "alternate" || e.Link.Href != "https://example.org/"+lang+"/incidents/"+p.Code {
				t.Errorf("%s entry %d: %+v", lang, i, e)
			}
			ids[e.ID] = true
		}
		if locale.Arabic(lang) && doc.Entries[0].Title != "قتل في محافظة بغداد، 25 تشرين الأول 2019" {
			t.Errorf("Arabic title %q", doc.Entries[0].Title)
		}
	}
}

func TestAtomEmptyAndInvalid(t *testing.T) {
	var b bytes.Buffer
	if err := NewAtom(&b, feed("en")).Close(); err != nil {
		t.Fatal(err)
	}
	if doc := readAtom(t, b.Bytes()); doc.ID == "" || len(doc.Entries) != 0 {
		t.Errorf("empty feed: %s", b.String())
	}
	for name, edit := range map[string]func(*Feed){
		"language":      func(f *Feed) { f.Lang = "fr" },
		"relative self": func(f *Feed) { f.SelfURL = "/feed.atom" },
		"no updated":    func(f *Feed) { f.Updated = time.Time{} },
		"tag authority": func(f *Feed) { f.TagAuthority = "example.org" },
		"no link":       func(f *Feed) { f.Link = nil },
		"no author":     func(f *Feed) { f.Author = " " },
	} {
		f := feed("en")
		edit(&f)
		b.Reset()
		w := NewAtom(&b, f)
		if w.Write(samples(t)[0]) == nil || w.Close() == nil || b.Len() != 0 {
			t.Errorf("%s: invalid feed accepted", name)
		}
	}
}
