package portal

import (
	"io"

	"github.com/rasd-project/rasd/internal/opendata"
	"github.com/rasd-project/rasd/internal/redact"
)

// FeedSize is the number of entries in each Atom feed: the incidents
// changed last.
const FeedSize = 50

// writeFeeds writes ar/feed.atom and en/feed.atom, the incidents changed
// last, when the site's base URL is known (an Atom feed needs absolute
// links).
func (s *site) writeFeeds() error {
	if !s.rep.Feeds {
		return nil
	}
	pg := &opendata.Pager{Store: s.st, Redact: s.opts.Redact, Sort: "updated", Desc: true, Max: FeedSize}
	var newest []redact.Public
	for p := range pg.Records(s.ctx) {
		newest = append(newest, p)
	}
	if err := pg.Err(); err != nil {
		return err
	}
	updated := s.opts.Now.UTC()
	if len(newest) > 0 && !newest[0].Updated.IsZero() {
		updated = newest[0].Updated
	}
	for _, l := range Langs {
		f := opendata.Feed{
			Lang: l, Title: s.t(l, "portal.feed.title") + " · " + s.opts.Org, Author: s.opts.Org,
			SelfURL: s.opts.BaseURL + l + "/feed.atom", SiteURL: s.opts.BaseURL + l + "/",
			Updated: updated, TagAuthority: s.opts.TagAuthority,
			Link: func(p *redact.Public) string { return incidentFile(p.Code) },
		}
		_, err := s.out.write(l+"/feed.atom", func(w io.Writer) error {
			aw := opendata.NewAtom(w, f)
			for _, p := range newest {
				if err := aw.Write(p); err != nil {
					return err
				}
			}
			return aw.Close()
		})
		if err != nil {
			return err
		}
	}
	return nil
}
