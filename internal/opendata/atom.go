package opendata

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/redact"
	"github.com/rasd-project/rasd/internal/vocab"
)

// Feed describes an Atom feed (RFC 4287) of public incidents in one
// language. Write one feed per language. The writer writes the entries in
// the order given: feed it the newest incidents, e.g. a Pager with Sort
// "updated", Desc and Max 50.
type Feed struct {
	Lang    string    // a complete language of internal/locale: the entries' language (xml:lang)
	Title   string    // e.g. "rasd: new incidents"
	Author  string    // the publishing organisation
	SelfURL string    // absolute URL of this feed document (rel="self")
	SiteURL string    // absolute URL of the public portal; entry links resolve against it
	Updated time.Time // when the feed last changed, e.g. the newest entry's Updated
	// TagAuthority is the tag: URI authority (RFC 4151) of the feed and
	// entry IDs: a domain the organisation held on a date, e.g.
	// "example.org,2024". Entry IDs are
	// tag:<TagAuthority>:incident/<code>/<lang>, stable as long as the
	// incident code is, and distinct per language.
	TagAuthority string
	// Link returns the path (or URL) of the incident's public page in
	// this language, e.g. "/ar/incidents/IQ-2019-0042".
	Link func(p *redact.Public) string
}

// tagAuthorityRE is RFC 4151's taggingEntity: a DNS name or e-mail
// address, a comma and a date.
var tagAuthorityRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.@_-]*,\d{4}(-\d{2}(-\d{2})?)?$`)

func (f *Feed) check() error {
	var problems []string
	if codes := locale.CompleteCodes(); !slices.Contains(codes, f.Lang) {
		problems = append(problems, fmt.Sprintf("language %q must be one of %s", f.Lang, strings.Join(codes, ", ")))
	}
	if strings.TrimSpace(f.Title) == "" || strings.TrimSpace(f.Author) == "" {
		problems = append(problems, "title and author are required")
	}
	for _, u := range []string{f.SelfURL, f.SiteURL} {
		if p, err := url.Parse(u); err != nil || !p.IsAbs() || p.Host == "" {
			problems = append(problems, fmt.Sprintf("%q must be an absolute URL", u))
		}
	}
	if f.Updated.IsZero() {
		problems = append(problems, "updated time is required")
	}
	if !tagAuthorityRE.MatchString(f.TagAuthority) {
		problems = append(problems, fmt.Sprintf("tag authority %q must be a domain and a date, e.g. example.org,2024", f.TagAuthority))
	}
	if f.Link == nil {
		problems = append(problems, "the Link function is required")
	}
	if problems != nil {
		return errors.New("atom feed: " + strings.Join(problems, "; "))
	}
	return nil
}

// AtomWriter writes an Atom feed.
type AtomWriter struct {
	out    *firstError
	bw     *bufio.Writer
	feed   Feed
	base   *url.URL
	begun  bool
	closed bool
	err    error
}

// NewAtom returns a writer of feed f to w. A Feed missing a required
// field makes every Write and Close fail.
func NewAtom(w io.Writer, f Feed) *AtomWriter {
	out := &firstError{w: w}
	a := &AtomWriter{out: out, bw: bufio.NewWriterSize(out, 64<<10), feed: f, err: f.check()}
	if a.err == nil {
		a.base, _ = url.Parse(f.SiteURL)
	}
	return a
}

// firstError keeps the first error of the writer under the buffer.
type firstError struct {
	w   io.Writer
	err error
}

func (f *firstError) Write(b []byte) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	n, err := f.w.Write(b)
	f.err = err
	return n, err
}

// el writes <name attr="value"…>text</name> on a line, escaping text and
// values; an element without text is written empty (<link …/>).
func (a *AtomWriter) el(indent, name, text string, attrs ...string) {
	b := a.bw
	b.WriteString(indent)
	b.WriteString("<" + name)
	for i := 0; i+1 < len(attrs); i += 2 {
		b.WriteString(" " + attrs[i] + `="`)
		xml.EscapeText(b, []byte(attrs[i+1]))
		b.WriteString(`"`)
	}
	if text == "" && name != "summary" {
		b.WriteString("/>\n")
		return
	}
	b.WriteString(">")
	xml.EscapeText(b, []byte(text))
	b.WriteString("</" + name + ">\n")
}

func (a *AtomWriter) begin() {
	if a.begun || a.err != nil {
		return
	}
	a.begun = true
	f := &a.feed
	a.bw.WriteString(xml.Header + `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="` + f.Lang + "\">\n")
	a.el(" ", "id", "tag:"+f.TagAuthority+":feed/"+f.Lang)
	a.el(" ", "title", f.Title, "type", "text")
	a.el(" ", "updated", rfc3339(f.Updated))
	a.bw.WriteString(" <author>\n")
	a.el("  ", "name", f.Author)
	a.bw.WriteString(" </author>\n")
	a.el(" ", "link", "", "rel", "self", "type", "application/atom+xml", "href", f.SelfURL)
	a.el(" ", "link", "", "rel", "alternate", "type", "text/html", "hreflang", f.Lang, "href", f.SiteURL)
	a.el(" ", "generator", "rasd")
	a.err = a.out.err
}

// Write writes one entry: the generated title (type, governorate, date),
// the public summary in the feed's language, and a link to the
// incident's page.
func (a *AtomWriter) Write(p redact.Public) error {
	a.begin()
	if a.err != nil {
		return a.err
	}
	f := &a.feed
	title := strings.TrimSuffix(redact.GeneratedSummary(f.Lang, &p), ".")
	summary := locale.Pick(f.Lang, p.SummaryAR, p.SummaryEN)
	ref, err := url.Parse(f.Link(&p))
	if err != nil {
		a.err = fmt.Errorf("atom feed: link of %s: %w", p.Code, err)
		return a.err
	}
	updated := p.Updated
	if updated.IsZero() {
		updated = f.Updated
	}
	typ, _ := vocab.Get(vocab.IncidentType).Lookup(p.Type)
	a.bw.WriteString(" <entry>\n")
	a.el("  ", "id", "tag:"+f.TagAuthority+":incident/"+url.PathEscape(p.Code)+"/"+f.Lang)
	a.el("  ", "title", title, "type", "text")
	a.el("  ", "updated", rfc3339(updated))
	a.el("  ", "link", "", "rel", "alternate", "type", "text/html", "hreflang", f.Lang, "href", a.base.ResolveReference(ref).String())
	a.el("  ", "category", "", "term", p.Type, "label", typ.Label(f.Lang))
	a.el("  ", "summary", summary, "type", "text")
	a.bw.WriteString(" </entry>\n")
	a.err = a.out.err
	return a.err
}

// Close ends the feed and flushes.
func (a *AtomWriter) Close() error {
	a.begin()
	if a.err == nil && !a.closed {
		a.closed = true
		a.bw.WriteString("</feed>\n")
		a.err = a.bw.Flush()
	}
	return a.err
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }
