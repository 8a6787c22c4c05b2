// Package portal generates rasd's public portal as a static site: files
// any web host or CDN can serve, or a browser can open from disk, so that
// the server holding the records never faces the internet.
//
// The site is bilingual: ar/ (right to left) and en/ hold the same pages,
// each linking to its twin in the other language, and the root index.html
// links to both without choosing one. Pages: home (headline figures,
// charts with their tables, the governorate map), the list of public
// incidents, one page per public incident, the memorial, the receipts of
// every figure, the methodology, the open data downloads with their data
// dictionary and, given a base URL, an Atom feed per language. Layout and
// decisions: docs/portal.md.
//
// What leaves: every incident, list row, memorial entry and data file is
// made from redact.Public or redact.Memorial, never from a stored record.
// Figures are counted with package stats for the public as reader: every
// counted public and internal incident, the ones the organisation stands
// behind whether or not they are published, and no restricted incident,
// so that no figure nor any difference of figures reveals one
// (docs/counting.md, "What a figure may reveal"). Their receipts list the
// published ones and say how many more are counted but not published. A
// receipt never lists an incident under a governorate its publication
// withholds (publish:country).
//
// The site works from file:// and any plain host: every link is relative
// and names its file (…/index.html), there is no JavaScript, the charts
// and map are inline SVG, and its one stylesheet is written beside it.
//
// Generation streams: incidents are read page by page from the store and
// each page is written as it comes. Memory holds one list page per
// language and the set of published codes (for receipts), not the
// incidents.
package portal

import (
	"context"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/redact"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
)

// Options tune the site. The zero value publishes with redact's safe
// defaults, counts at stats.DefaultThreshold and writes no feeds.
type Options struct {
	// Redact says what of each record is published.
	Redact redact.Options
	// Threshold is the least verification status the figures count; ""
	// is stats.DefaultThreshold (corroborated).
	Threshold string
	// Now is today, for "the last 12 months" and the feeds; zero is the
	// current time.
	Now time.Time
	// BaseURL is the absolute URL the site will be served at (its root,
	// where index.html is). The Atom feeds need it; without it they are
	// not written.
	BaseURL string
	// TagAuthority is the tag: URI authority of the feed and entry IDs
	// (RFC 4151), e.g. "example.org,2024". Keep it the same from one
	// publication to the next so that feed readers do not see old entries
	// as new. "" derives it from BaseURL's host and Now's year.
	TagAuthority string
	// Org names the publishing organisation (page headers, feed author);
	// "" is "rasd".
	Org string
	// ArabicDigits writes the Arabic pages' numbers and dates, and their
	// charts and map, with Arabic-Indic digits (٠١٢…); English pages and
	// identifiers (incident codes, ISO dates in data files) keep Latin ones.
	ArabicDigits bool
	// PageSize is the number of rows per list page; 0 is 100.
	PageSize int
	// Progress, if set, is called as incident pages are written, with how
	// many are done and how many public incidents the store lists.
	Progress func(done, total int)
}

// Report says what Generate wrote.
type Report struct {
	Incidents   int   // public incidents published: one page per language each
	Withheld    int   // incidents listed as public that redaction withheld
	Memorial    int   // memorial entries (people killed)
	ListPages   int   // pages of the incident list, per language
	Counted     int   // incidents counted, all time, at the threshold
	Unpublished int   // of those, counted but not published
	Receipts    int   // figures with a receipt
	Feeds       bool  // Atom feeds written (BaseURL given)
	Files       int   // files written
	Bytes       int64 // bytes written
}

// Langs are the site's languages, Arabic first: the complete ones, for a
// public page is never half translated.
var Langs = locale.CompleteCodes()

// site is one generation in progress.
type site struct {
	ctx   context.Context
	st    store.Store
	out   *counter
	opts  Options
	pages map[string]*template.Template
	rep   Report
	// published holds the code of every published incident, so that a
	// receipt lists only incidents that have a page; countryOnly those
	// published without a governorate, which a governorate's receipt
	// must not list.
	published, countryOnly map[string]bool
	dataSizes              map[string]int64  // bytes of each file under data/
	chromes                map[string]chrome // by language and directory
}

// Generate writes the whole site to out from st.
func Generate(ctx context.Context, st store.Store, out Output, opts Options) (Report, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Org = strings.TrimSpace(opts.Org); opts.Org == "" {
		opts.Org = "rasd"
	}
	if opts.PageSize <= 0 {
		opts.PageSize = 100
	}
	if _, err := stats.Counted(opts.Threshold); err != nil {
		return Report{}, fmt.Errorf("portal: threshold: %w", err)
	}
	if opts.BaseURL != "" {
		u, err := url.Parse(opts.BaseURL)
		if err != nil || !u.IsAbs() || u.Host == "" || u.Scheme != "https" && u.Scheme != "http" {
			return Report{}, fmt.Errorf("portal: base URL %q must be an absolute http(s) URL", opts.BaseURL)
		}
		if !strings.HasSuffix(opts.BaseURL, "/") {
			opts.BaseURL += "/"
		}
		if opts.TagAuthority == "" {
			opts.TagAuthority = fmt.Sprintf("%s,%d", u.Hostname(), opts.Now.Year())
		}
	}
	pages, err := parsePages()
	if err != nil {
		return Report{}, err
	}
	s := &site{ctx: ctx, st: st, out: &counter{out: out}, opts: opts, pages: pages,
		published: map[string]bool{}, countryOnly: map[string]bool{}, dataSizes: map[string]int64{}, chromes: map[string]chrome{}}
	s.rep.Feeds = opts.BaseURL != ""
	steps := []func() error{s.writeStatic, s.writeIncidents, s.writeFigures, s.writePromises, s.writeFeeds, s.writeData, s.writeMethodology}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return s.rep, err
		}
		if err := step(); err != nil {
			return s.rep, fmt.Errorf("portal: %w", err)
		}
	}
	s.rep.Files, s.rep.Bytes = s.out.files, s.out.bytes
	return s.rep, nil
}
