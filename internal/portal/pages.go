package portal

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/chart"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/redact"
	"github.com/rasd-project/rasd/internal/vocab"
)

//go:embed templates static
var assets embed.FS

var funcs = template.FuncMap{
	"add":  func(a, b int) int { return a + b },
	"args": func(v ...any) []any { return v },
}

// parsePages builds one template per page from its file and the
// partials; it defines "content", which the layout (chrome) surrounds.
// The layout itself is parsed under "layout", with a mark for the
// content, and the root page stands alone.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	partials, err := fs.Glob(assets, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(path.Base(n), ".html")
		files := append([]string{n}, partials...)
		if base == "layout" || base == "root" {
			files = files[:1]
		}
		t, err := template.New(path.Base(n)).Funcs(funcs).ParseFS(assets, files...)
		if err == nil && base == "layout" {
			_, err = t.New("content").Parse(contentMark)
		}
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		out[base] = t
	}
	return out, nil
}

// page is what every template sees. Its methods make links relative to
// the page's own file, so the site works from any directory.
type page struct {
	Lang  string
	Path  string // the file under the language directory, e.g. "incidents/page-2.html"
	Title string
	Org   string
	Feed  bool // the language has an Atom feed
	Data  any
	// Arabic is the site's choice of Arabic-Indic digits (Options.ArabicDigits).
	Arabic bool
}

// digits writes the digits of s as the page's reader reads them.
func (p *page) digits(s string) string { return digitsFor(p.Lang, p.Arabic, s) }

// digitsFor converts s to Arabic-Indic digits on Arabic pages of a site
// published with them.
func digitsFor(lang string, arabic bool, s string) string {
	if arabic && locale.ArabicScript(lang) {
		return i18n.Digits(s)
	}
	return s
}

// file is the page's path from the site's root.
func (p *page) file() string { return p.Lang + "/" + p.Path }

// Dir is the text direction.
func (p *page) Dir() string { return locale.Dir(p.Lang) }

// Site links to a file given from the site's root ("portal.css").
func (p *page) Site(target string) string { return rel(p.file(), target) }

// L links to a page of the same language ("incidents/index.html").
func (p *page) L(target string) string { return rel(p.file(), p.Lang+"/"+target) }

// Other links to this page in the other language.
func (p *page) Other() string { return rel(p.file(), p.OtherLang()+"/"+p.Path) }

// OtherLang is the language the switch offers: the site's next one.
func (p *page) OtherLang() string {
	i := slices.Index(Langs, p.Lang)
	return Langs[(i+1)%len(Langs)]
}

// ArabicContent reports whether the page's reader gets the Arabic of what
// is held in Arabic and English.
func (p *page) ArabicContent() bool { return locale.Arabic(p.Lang) }

// Incident links to an incident's page.
func (p *page) Incident(code string) string { return p.L(incidentFile(code)) }

// T translates a message key.
func (p *page) T(key string, args ...any) string { return i18n.T(p.Lang, key, args...) }

// N translates a plural message for n, written with grouped digits.
func (p *page) N(key string, n int) string {
	return p.digits(strings.Replace(i18n.N(p.Lang, key, n), strconv.Itoa(n), p.Num(n), 1))
}

// Num writes a count with grouped digits.
func (p *page) Num(n int) string {
	return chart.Options{Lang: p.Lang, ArabicDigits: p.Arabic}.Number(n)
}

// Label is a vocabulary term's label.
func (p *page) Label(vocabulary, code string) string {
	if t, ok := vocab.Get(vocabulary).Lookup(code); ok {
		return t.Label(p.Lang)
	}
	return code
}

// Admin1 is a governorate's name.
func (p *page) Admin1(code string) string {
	if pl, ok := vocab.Admin1(code); ok {
		return pl.Label(p.Lang)
	}
	return code
}

// Date writes a published date at its precision: a range of days as
// "from – to", an estimated date as "around …".
func (p *page) Date(d redact.Date) string {
	s := i18n.Date(p.Lang, d.Start, d.Precision)
	if d.Precision == "day" && d.End != "" && d.End != d.Start {
		s += " – " + i18n.Date(p.Lang, d.End, "day")
	}
	if d.Estimated {
		s = p.T("portal.date.estimated", s)
	}
	return p.digits(s)
}

// Day writes the day of t, "—" for none.
func (p *page) Day(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return p.digits(i18n.Date(p.Lang, t.UTC().Format(time.DateOnly), "day"))
}

// Place names a published place: governorate, or the country.
func (p *page) Place(pl redact.Place) string {
	switch {
	case pl.Admin1 != "":
		return locale.Pick(p.Lang, pl.Admin1AR, pl.Admin1EN)
	case i18n.Has(p.Lang, "portal.country."+pl.Country):
		return p.T("portal.country." + pl.Country)
	case pl.Country != "":
		return pl.Country
	}
	return "—"
}

// rel is the relative link from the file from to the file to, both given
// from the site's root.
func rel(from, to string) string {
	fd := strings.Split(path.Dir(from), "/")
	if fd[0] == "." {
		fd = nil
	}
	td := strings.Split(to, "/")
	i := 0
	for i < len(fd) && i < len(td)-1 && fd[i] == td[i] {
		i++
	}
	return strings.Repeat("../", len(fd)-i) + strings.Join(td[i:], "/")
}

var safeCode = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$`)

// incidentFile is an incident's page under the language directory: its
// code when that is a safe file name, otherwise a hash of it.
func incidentFile(code string) string {
	if safeCode.MatchString(code) && !strings.Contains(code, "..") {
		return "incidents/" + code + ".html"
	}
	h := sha256.Sum256([]byte(code))
	return "incidents/x-" + hex.EncodeToString(h[:8]) + ".html"
}

// render writes one page of lang at path (under the language directory)
// with the named template.
func (s *site) render(lang, pth, tmpl, title string, data any) error {
	t, ok := s.pages[tmpl]
	if !ok {
		return fmt.Errorf("no template %q", tmpl)
	}
	c, err := s.chrome(lang, path.Dir(pth))
	if err != nil {
		return err
	}
	p := s.page(lang, pth)
	p.Title, p.Data = title, data
	_, err = s.out.write(p.file(), func(w io.Writer) error {
		r := strings.NewReplacer(titleMark, template.HTMLEscapeString(title), fileMark, template.HTMLEscapeString(path.Base(pth)))
		if _, err := r.WriteString(w, c.head); err != nil {
			return err
		}
		if err := t.ExecuteTemplate(w, "content", p); err != nil {
			return err
		}
		_, err := io.WriteString(w, c.foot)
		return err
	})
	return err
}

// page is a page of lang at pth with the site's settings.
func (s *site) page(lang, pth string) *page {
	return &page{Lang: lang, Path: pth, Org: s.opts.Org, Feed: s.rep.Feeds, Arabic: s.opts.ArabicDigits}
}

// digits writes s in the digits of lang's pages.
func (s *site) digits(lang, str string) string { return digitsFor(lang, s.opts.ArabicDigits, str) }

// listPage is the data of one page of a paginated list.
type listPage[R any] struct {
	Head              any // the list's heading data
	Rows              []R
	Page, Pages       int // Pages is 0 on pages written before the end
	Offset            int // rows before this page
	First, Prev, Next string
}

// paged writes rows into numbered pages under dir: index.html,
// page-2.html… Later pages are written as they fill; the first is held
// until close, so that it can show what is known only at the end.
type paged[R any] struct {
	s                      *site
	lang, dir, tmpl, title string
	first, cur             []R
	pages, rows            int
}

func newPaged[R any](s *site, lang, dir, tmpl, title string) *paged[R] {
	return &paged[R]{s: s, lang: lang, dir: dir, tmpl: tmpl, title: title}
}

func pageFile(dir string, n int) string {
	if n <= 1 {
		return dir + "/index.html"
	}
	return fmt.Sprintf("%s/page-%d.html", dir, n)
}

// add adds a row, writing the page before it when that is full.
func (pg *paged[R]) add(r R) error {
	if len(pg.cur) == pg.s.opts.PageSize {
		if err := pg.flush(true); err != nil {
			return err
		}
	}
	pg.cur = append(pg.cur, r)
	pg.rows++
	return nil
}

func (pg *paged[R]) flush(more bool) error {
	pg.pages++
	if pg.pages == 1 {
		pg.first, pg.cur = pg.cur, nil
		return nil
	}
	err := pg.write(pg.pages, pg.cur, nil, 0, more)
	pg.cur = pg.cur[:0]
	return err
}

// close writes the last page and the first, with head, and returns the
// number of pages.
func (pg *paged[R]) close(head any) (int, error) {
	if len(pg.cur) > 0 || pg.pages == 0 {
		if err := pg.flush(false); err != nil {
			return 0, err
		}
	}
	return pg.pages, pg.write(1, pg.first, head, pg.pages, pg.pages > 1)
}

func (pg *paged[R]) write(n int, rows []R, head any, pages int, more bool) error {
	name := func(k int) string { return path.Base(pageFile(pg.dir, k)) }
	d := listPage[R]{Head: head, Rows: rows, Page: n, Pages: pages, Offset: (n - 1) * pg.s.opts.PageSize}
	if n > 1 {
		d.First, d.Prev = name(1), name(n-1)
	}
	if more {
		d.Next = name(n + 1)
	}
	return pg.s.render(pg.lang, pageFile(pg.dir, n), pg.tmpl, pg.title, d)
}
