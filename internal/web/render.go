package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/textnorm"
	"github.com/rasd-project/rasd/internal/vocab"
)

//go:embed templates static
var assets embed.FS

var funcs = template.FuncMap{
	"add":       func(a, b int) int { return a + b },
	"highlight": highlight,
	// bidi closes the direction controls user text opens, paragraph by
	// paragraph (textnorm.BalanceBidi), so that they reorder nothing after.
	"bidi": textnorm.BalanceBidi,
	// paragraphs splits text into its paragraphs, each balanced as bidi.
	"paragraphs": paragraphs,
	// field hands record-input a form's field and the form's refusals.
	"field": func(f fieldView, errs map[string]string) map[string]any { return map[string]any{"F": f, "E": errs} },
	// rows hands a partial the page, its rows and the query to highlight.
	"rows": func(p *page, rows any, q string) map[string]any { return map[string]any{"P": p, "Rows": rows, "Q": q} },
	// dupRow is a line of the side-by-side comparison (duplicate.html).
	"dupRow": func(p *page, key, a, b string) map[string]any {
		return map[string]any{"P": p, "Key": key, "A": a, "B": b}
	},
	"has": func(list []string, v string) bool {
		for _, x := range list {
			if x == v {
				return true
			}
		}
		return false
	},
}

// parsePages builds one template per language and page: the layout, the
// partials and the page's own file, escaped and localised (localise.go).
func parsePages() (map[string]map[string]*template.Template, error) {
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	partials, _ := fs.Glob(assets, "templates/partials/*.html")
	out := map[string]map[string]*template.Template{}
	for _, lang := range locale.Codes() {
		out[lang] = map[string]*template.Template{}
		for _, n := range names {
			base := strings.TrimSuffix(path.Base(n), ".html")
			if base == "layout" {
				continue
			}
			files := append([]string{"templates/layout.html", n}, partials...)
			t, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, files...)
			if err != nil {
				return nil, fmt.Errorf("web: template %s: %w", n, err)
			}
			if err := localise(t, "layout.html", lang); err != nil {
				return nil, fmt.Errorf("web: template %s (%s): %w", n, lang, err)
			}
			out[lang][base] = t
		}
	}
	return out, nil
}

// page is what every template sees.
type page struct {
	Lang, Dir string
	User      *model.User
	CSRF      string
	Query     string // the search box's value
	Path      string
	Data      any
	// ArabicDigits writes numbers and dates with ٠١٢…: a per-browser
	// choice, or the language's default (locale.ArabicDigits).
	ArabicDigits bool
	Home         string // the signed-in interface's first page
}

// T translates a message key (in the fallback language if the page's
// lacks it).
func (p *page) T(key string, args ...any) string { return i18n.T(p.Lang, key, p.args(args)...) }

// THTML is T in element content, a fallback marked (localise.go).
func (p *page) THTML(key string, args ...any) template.HTML {
	msg, in := i18n.Message(p.Lang, key)
	return marked(i18n.Format(msg, p.args(args)...), in, p.Lang)
}

// N translates a plural message.
func (p *page) N(key string, n int) string { return p.digits(i18n.N(p.Lang, key, n)) }

// NHTML is N in element content, a fallback marked.
func (p *page) NHTML(key string, n int) template.HTML {
	msg, in := i18n.PluralMessage(p.Lang, key, n)
	return marked(p.digits(i18n.Format(msg, n)), in, p.Lang)
}

// args writes a message's integer arguments in the page's digits.
func (p *page) args(args []any) []any {
	if !p.ArabicDigits {
		return args
	}
	out := slices.Clone(args)
	for i, a := range out {
		if n, ok := a.(int); ok {
			out[i] = digitString(p.Num(n))
		}
	}
	return out
}

// digitString is a number already written in its digits: it prints as it
// is under any verb, so that a message's %d takes it.
type digitString string

func (d digitString) Format(f fmt.State, _ rune) { io.WriteString(f, string(d)) }

// Date writes a date at its precision.
func (p *page) Date(ymd, precision string) string { return p.digits(i18n.Date(p.Lang, ymd, precision)) }

// Num writes a number in the user's digits.
func (p *page) Num(n int) string { return p.digits(strconv.Itoa(n)) }

// digits uses Arabic-Indic digits when the page does.
func (p *page) digits(s string) string {
	if p.ArabicDigits {
		return i18n.Digits(s)
	}
	return s
}

// Label is a vocabulary term's label in the page's language.
func (p *page) Label(vocabulary, code string) string {
	if t, ok := vocab.Get(vocabulary).Lookup(code); ok {
		return t.Label(p.Lang)
	}
	return code
}

// LabelHTML is Label in element content, a fallback marked.
func (p *page) LabelHTML(vocabulary, code string) template.HTML {
	if t, ok := vocab.Get(vocabulary).Lookup(code); ok {
		return p.markedLabel(t.LabelIn(p.Lang))
	}
	return marked(code, "", p.Lang)
}

func (p *page) markedLabel(label string, ok bool) template.HTML {
	if ok {
		return marked(label, p.Lang, p.Lang)
	}
	return marked(label, locale.Fallback, p.Lang)
}

// Terms lists a vocabulary's terms, for selects.
func (p *page) Terms(vocabulary string) []vocab.Term { return vocab.Get(vocabulary).Terms }

// Options lists a vocabulary's codes and labels in the page's language,
// for selects: fields, not a method per option (see options).
func (p *page) Options(vocabulary string) []option { return options(vocabulary, p.Lang) }

// SelectOptions is a select's option list for a vocabulary, with selected
// marked; withCode shows the code before the label (reliability A–F).
func (p *page) SelectOptions(vocabulary, selected string, withCode bool) template.HTML {
	return optionsHTML(vocabulary, p.Lang, selected, withCode)
}

// Admin1 is a governorate's name.
func (p *page) Admin1(code string) string {
	if pl, ok := vocab.Admin1(code); ok {
		return pl.Label(p.Lang)
	}
	return code
}

// Country is a country's name in the page's language (vocab.CountryName;
// a key that is no known code is shown as written).
func (p *page) Country(code string) string { return vocab.CountryName(code, p.Lang) }

// Admin1HTML is Admin1 in element content, a fallback marked.
func (p *page) Admin1HTML(code string) template.HTML {
	if pl, ok := vocab.Admin1(code); ok {
		return p.markedLabel(pl.LabelIn(p.Lang))
	}
	return marked(code, "", p.Lang)
}

// Governorates lists Iraq's governorates (the configured gazetteer).
func (p *page) Governorates() []vocab.Place { return vocab.GazetteerFor("IQ").Governorates() }

// Wording is text composed in Go (stats.Sentence), which is in the page's
// language if it is complete and otherwise in the fallback, then marked.
func (p *page) Wording(text string) template.HTML {
	return marked(text, locale.Wording(p.Lang), p.Lang)
}

// OtherLangs are the languages the switch offers: all but the page's.
func (p *page) OtherLangs() []locale.Locale {
	return slices.DeleteFunc(locale.All(), func(l locale.Locale) bool { return l.Code == p.Lang })
}

// ArabicScript reports whether the page is in a language written in Arabic
// script (which offers the choice of digits).
func (p *page) ArabicScript() bool { return locale.ArabicScript(p.Lang) }

// ArabicContent reports whether the page's reader gets the Arabic of what
// is held in Arabic and English (summaries in lists).
func (p *page) ArabicContent() bool { return locale.Arabic(p.Lang) }

func (s *Server) render(req *request, status int, name string, data any) {
	lang := i18n.Lang(req.lang)
	t, ok := s.pages[lang][name]
	if !ok {
		s.log.Error("no template", "name", name)
		http.Error(req.w, "internal error", http.StatusInternalServerError)
		return
	}
	p := &page{Lang: lang, User: req.user, Path: req.r.URL.Path, Data: data, Home: s.homePath()}
	p.Dir = locale.Dir(p.Lang)
	p.ArabicDigits = locale.ArabicDigits(p.Lang, digitsChoice(req.r))
	if req.r.Method == http.MethodGet {
		p.Query = req.r.URL.Query().Get("q")
	}
	p.CSRF = s.csrfToken(req)
	if req.sess == nil || !req.sess.Verified {
		p.User = nil // not (fully) signed in: no menu, no search box
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	if err := t.ExecuteTemplate(buf, "layout.html", p); err != nil {
		s.log.Error("render", "page", name, "error", err.Error())
		http.Error(req.w, "internal error", http.StatusInternalServerError)
		return
	}
	if s.rendered != nil {
		s.rendered(lang, name)
	}
	req.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	req.w.WriteHeader(status)
	req.w.Write(buf.Bytes())
}

// renderBuffers are reused page buffers: a page grew a new one from 64
// bytes to ~16 KB every time, a sixth of its allocation.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putRenderBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return // an unusually large page: let it go rather than keep it
	}
	b.Reset()
	renderBuffers.Put(b)
}

// highlight marks the words of text that a search query matched (the
// forms the index matches: prefix, Arabic stem, name key; docs/search.md),
// escaping everything.
func highlight(text, query string) template.HTML {
	text = textnorm.BalanceBidi(text)
	terms, _ := store.QueryTerms(query)
	if len(terms) == 0 {
		return template.HTML(template.HTMLEscapeString(text))
	}
	var b strings.Builder
	word := []rune{}
	flush := func() {
		if len(word) == 0 {
			return
		}
		w := string(word)
		hit := false
		for _, t := range terms {
			if t.Matches(w) {
				hit = true
				break
			}
		}
		if hit {
			b.WriteString("<mark>" + template.HTMLEscapeString(w) + "</mark>")
		} else {
			b.WriteString(template.HTMLEscapeString(w))
		}
		word = word[:0]
	}
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == 'ـ' {
			word = append(word, r)
			continue
		}
		flush()
		b.WriteString(template.HTMLEscapeString(string(r)))
	}
	flush()
	return template.HTML(b.String())
}

func (s *Server) static(req *request) error {
	name := req.r.PathValue("file")
	b, err := assets.ReadFile("static/" + path.Base(name))
	if err != nil {
		return errNotFound
	}
	switch path.Ext(name) {
	case ".css":
		req.w.Header().Set("Content-Type", "text/css; charset=utf-8")
	case ".svg":
		req.w.Header().Set("Content-Type", "image/svg+xml")
	default:
		req.w.Header().Set("Content-Type", "application/octet-stream")
	}
	req.w.Header().Set("Cache-Control", "public, max-age=86400")
	_, err = req.w.Write(b)
	return err
}

// paragraphs splits user text into its paragraphs, for one element each
// (the style sheet has no pre-wrap and inline styles are refused by the
// CSP), dropping empty ones. A direction control a paragraph opens is
// closed at its end, and one that closes nothing is dropped
// (textnorm.BalanceBidi): an override cannot run past its paragraph.
func paragraphs(s string) []string {
	var out []string
	for _, l := range strings.FieldsFunc(s, textnorm.ParagraphSeparator) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, textnorm.BalanceBidi(l))
		}
	}
	return out
}
