package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/records"
)

// recordRoutes are the routes of persons and organisations: the kinds
// of package kinds, through their one service (package records).
func (a *API) recordRoutes() []Route {
	return append(kindRoutes("/api/v1/persons", a.o.People.Persons),
		kindRoutes("/api/v1/organisations", a.o.People.Organisations)...)
}

func kindRoutes[T any](path string, svc *records.Service[T]) []Route {
	return []Route{
		{Pattern: "GET " + path, h: func(c *call) error { return listRecords(c, svc) }},
		{Pattern: "POST " + path, Write: true, h: func(c *call) error { return saveRecord(c, svc, nil) }},
		{Pattern: "GET " + path + "/{id}", h: func(c *call) error {
			r, err := svc.Get(c.ctx, c.user, c.r.PathValue("id"), false)
			if err != nil {
				return err
			}
			return reply(c, http.StatusOK, r)
		}},
		{Pattern: "PUT " + path + "/{id}", Write: true, h: func(c *call) error {
			old, err := svc.Get(c.ctx, c.user, c.r.PathValue("id"), true)
			if err != nil {
				return err
			}
			return saveRecord(c, svc, old)
		}},
	}
}

func listRecords[T any](c *call, svc *records.Service[T]) error {
	v := c.r.URL.Query()
	if err := onlyParams(v, []string{"q", "limit", "cursor"}); err != nil {
		return err
	}
	n, err := limit(v)
	if err != nil {
		return err
	}
	off, err := readCursor(v.Get("cursor"), v)
	if err != nil {
		return err
	}
	rows, total, err := svc.List(c.ctx, c.user, strings.TrimSpace(v.Get("q")), n, off)
	if err != nil {
		return err
	}
	p := page[T]{Items: rows, Total: total}
	if p.Items == nil {
		p.Items = []T{}
	}
	if off+len(rows) < total {
		p.NextCursor = makeCursor(off+len(rows), v)
	}
	return reply(c, http.StatusOK, p)
}

// noKey is the API's sealer: a token holds no key, so a restricted
// record is refused on its visibility (records.ErrNeedsKey).
func noKey(context.Context) (*keys.RecordSealer, string, error) { return nil, records.ErrNeedsKey, nil }

// saveRecord creates (old nil) or replaces a record from the body: every
// field of the kind, as its form has them (a field left out is emptied),
// and for a change the version read.
func saveRecord[T any](c *call, svc *records.Service[T], old *T) error {
	if old == nil && !access.CanCreate(c.user) { // before the body: the answer is the role's
		return records.ErrForbidden
	}
	var body map[string]any
	if err := decode(c, &body); err != nil {
		return err
	}
	f, err := recordForm(svc.Kind, body, old != nil)
	if err != nil {
		return err
	}
	r, errs, err := svc.Save(c.ctx, c.user, old, f, noKey)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return recordProblems(errs)
	}
	status := http.StatusOK
	if old == nil {
		status = http.StatusCreated
		c.w.Header().Set("Location", strings.TrimSuffix(c.r.URL.Path, "/")+"/"+url.PathEscape(svc.Kind.ID(r)))
	}
	return reply(c, status, r)
}

// recordForm reads a JSON body as the kind's form: each field by its
// input's JSON type, refused by name when it is no field or of another
// type.
func recordForm[T any](k *record.Kind[T], body map[string]any, change bool) (record.Form, error) {
	f := record.Form{Values: url.Values{}}
	for name, v := range body {
		if name == "version" {
			n, ok := v.(float64)
			if !ok || n != float64(int(n)) || !change {
				if !change {
					return f, bad("version", "is given when changing a record, not when creating one")
				}
				return f, bad("version", "must be a whole number")
			}
			f.Version = strconv.Itoa(int(n))
			continue
		}
		fd, ok := field(k, name)
		if !ok {
			return f, bad(keyName(name), "is not a field of this record (see /api/openapi.json)")
		}
		vals, ok := formValues(fd.Input, v)
		if !ok {
			return f, bad(name, "must be "+inputType(fd.Input))
		}
		f.Values[name] = vals
	}
	if change && f.Version == "" {
		return f, bad("version", "is required: the version of the record you read")
	}
	return f, nil
}

func field[T any](k *record.Kind[T], name string) (record.Field, bool) {
	for _, fd := range k.Fields {
		if fd.Name == name && !fd.Hidden {
			return fd, true
		}
	}
	return record.Field{}, false
}

func formValues(in record.Input, v any) ([]string, bool) {
	strs := func() ([]string, bool) {
		l, ok := v.([]any)
		if !ok {
			return nil, false
		}
		out := []string{}
		for _, e := range l {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	switch in {
	case record.Lines, record.Refs:
		l, ok := strs()
		for _, s := range l {
			if strings.ContainsAny(s, "\r\n") {
				return nil, false
			}
		}
		return []string{strings.Join(l, "\n")}, ok
	case record.Codes:
		return strs()
	case record.Year, record.Count:
		if v == nil {
			return []string{""}, true
		}
		n, ok := v.(float64)
		if !ok || n != float64(int64(n)) {
			return nil, false
		}
		return []string{strconv.FormatInt(int64(n), 10)}, true
	case record.Bool:
		b, ok := v.(bool)
		if !ok {
			return nil, false
		}
		if b {
			return []string{"on"}, true
		}
		return []string{""}, true
	}
	s, ok := v.(string)
	return []string{s}, ok
}

func inputType(in record.Input) string {
	switch in {
	case record.Lines, record.Refs, record.Codes:
		return "an array of strings (one line each)"
	case record.Year, record.Count:
		return "a whole number"
	case record.Bool:
		return "true or false"
	}
	return "a string"
}
