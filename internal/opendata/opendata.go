// Package opendata writes rasd's public incidents as open data: CSV with
// rasd's columns, JSON (an array) and JSON Lines, a GeoJSON
// FeatureCollection, an ACLED-compatible CSV, Atom feeds (one per
// language) and a data dictionary (docs/open-data.md).
//
// Writers take redact.Public records only, so nothing reaches a file
// without passing package redact. They stream: each record is written as
// it comes, memory does not grow with the number of records, and there is
// no cap on it. Feed records one by one, from a paging loop (Pager) or an
// iterator (WriteAll); Close finishes the document (the closing bracket of
// a JSON array, the end of a feed) and flushes, without closing the
// underlying io.Writer.
package opendata

import (
	"context"
	"errors"
	"iter"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/redact"
	"github.com/rasd-project/rasd/internal/store"
)

// Writer writes public records in one format.
type Writer interface {
	Write(p redact.Public) error
	// Close finishes the document and flushes; it writes an empty but
	// valid document when nothing was written.
	Close() error
}

// WriteAll writes every record of seq to w and closes w. It returns how
// many records it passed to w.
func WriteAll(w Writer, seq iter.Seq[redact.Public]) (int, error) {
	n := 0
	for p := range seq {
		if err := w.Write(p); err != nil {
			return n, err
		}
		n++
	}
	return n, w.Close()
}

// Tee writes each record to every writer, so that one pass over the store
// makes every file.
func Tee(ws ...Writer) Writer { return tee(ws) }

type tee []Writer

func (t tee) Write(p redact.Public) error {
	for _, w := range t {
		if err := w.Write(p); err != nil {
			return err
		}
	}
	return nil
}

func (t tee) Close() error {
	var errs []error
	for _, w := range t {
		errs = append(errs, w.Close())
	}
	return errors.Join(errs...)
}

// Redacted yields what may be published of each incident of seq, leaving
// out those that may not be.
func Redacted(seq iter.Seq[*model.Incident], opts redact.Options) iter.Seq[redact.Public] {
	return func(yield func(redact.Public) bool) {
		for inc := range seq {
			if p, ok := redact.Incident(inc, opts); ok && !yield(p) {
				return
			}
		}
	}
}

// Pager reads the public incidents of a store page by page (Limit and
// Offset over store.ListIncidents, then store.GetIncident for each full
// record) and redacts them. Pages are read in a total order, but records
// changed during a run may be missed or seen twice: export from a quiet
// store (rasd publish) for a consistent file.
type Pager struct {
	Store  store.Store
	Redact redact.Options
	// PageSize is the number of incidents listed per query; 0 means 500
	// (the store caps a page at 1000).
	PageSize int
	// Sort is a store sort ("date", the default, or "updated") and Desc
	// its direction: oldest first unless Desc.
	Sort string
	Desc bool
	// Max stops after this many published records (0: all), e.g. the
	// newest 50 for a feed.
	Max int
	// Withheld counts incidents listed as public that redact withheld
	// (merged, rejected, below the verification threshold…).
	Withheld int
	err      error
}

// Err returns the error that ended the last iteration early, if any.
func (pg *Pager) Err() error { return pg.err }

// Records yields the published form of each public incident; check Err
// afterwards.
func (pg *Pager) Records(ctx context.Context) iter.Seq[redact.Public] {
	return func(yield func(redact.Public) bool) {
		n := 0
		for inc := range pg.incidents(ctx) {
			p, ok := redact.Incident(inc, pg.Redact)
			if !ok {
				pg.Withheld++
				continue
			}
			if !yield(p) {
				return
			}
			if n++; pg.Max > 0 && n >= pg.Max {
				return
			}
		}
	}
}

// Memorials yields the memorial entry of each person killed in a public
// incident; check Err afterwards.
func (pg *Pager) Memorials(ctx context.Context) iter.Seq[redact.Memorial] {
	return func(yield func(redact.Memorial) bool) {
		for inc := range pg.incidents(ctx) {
			for _, m := range redact.Memorials(inc, pg.Redact) {
				if !yield(m) {
					return
				}
			}
		}
	}
}

// Published yields the published form of each public incident with the
// memorial entries of the people killed in it, from one pass over the
// store (the portal writes incident pages and the memorial together);
// check Err afterwards.
func (pg *Pager) Published(ctx context.Context) iter.Seq2[redact.Public, []redact.Memorial] {
	return func(yield func(redact.Public, []redact.Memorial) bool) {
		n := 0
		for inc := range pg.incidents(ctx) {
			p, ok := redact.Incident(inc, pg.Redact)
			if !ok {
				pg.Withheld++
				continue
			}
			if !yield(p, redact.Memorials(inc, pg.Redact)) {
				return
			}
			if n++; pg.Max > 0 && n >= pg.Max {
				return
			}
		}
	}
}

func (pg *Pager) incidents(ctx context.Context) iter.Seq[*model.Incident] {
	return func(yield func(*model.Incident) bool) {
		pg.err, pg.Withheld = nil, 0
		size := pg.PageSize
		if size <= 0 || size > 1000 {
			size = 500
		}
		f := store.IncidentFilter{Visible: store.Visible{Levels: []string{model.VisibilityPublic}},
			Sort: pg.Sort, Asc: !pg.Desc, Limit: size}
		for {
			hits, _, err := pg.Store.ListIncidents(ctx, f)
			if err != nil {
				pg.err = err
				return
			}
			for _, h := range hits {
				inc, err := pg.Store.GetIncident(ctx, h.ID)
				if errors.Is(err, store.ErrNotFound) {
					continue // deleted or hidden since it was listed
				}
				if err != nil {
					pg.err = err
					return
				}
				if !yield(inc) {
					return
				}
			}
			if len(hits) < size {
				return
			}
			f.Offset += len(hits)
		}
	}
}
