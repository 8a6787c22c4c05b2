package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/store"
)

// kindPages are the pages of one record kind, the same for every kind:
// its list, a record's page, its form (new and edit) and its history. The
// service (package records) applies every rule; these parse, call it and
// render. A kind's templates are named by its pages' fields.
type kindPages[T any] struct {
	s   *Server
	svc *records.Service[T]
	// Templates: the list, a record's page, its form.
	list, view, form string
	countKey         string // the list's "N records" message
	// extra adds what the kind's own page shows besides its fields;
	// listExtra what its list shows besides the records' fields.
	extra     func(req *request, r *T) (map[string]any, error)
	listExtra func(req *request, list []T) (map[string]any, error)
	// gate, when set, answers every route of the kind before its handler:
	// a kind kept in a compartment is missing (404) to non-members.
	gate func(req *request) error
}

func (p *kindPages[T]) kind() *record.Kind[T] { return p.svc.Kind }

// msg is the prefix of the kind's message keys, for templates that draw
// several kinds ("pcase" for "pcase.title").
func (p *kindPages[T]) msg() string { return strings.TrimSuffix(p.kind().Message("x"), ".x") }

// register declares the kind's routes: reading needs a session (and, per
// record, access.CanSee); writing needs one of writers' roles (and, per
// record, access.CanEdit).
func (p *kindPages[T]) register(writers policy) {
	path := p.kind().Path
	if p.s.kindPaths == nil {
		p.s.kindPaths = map[string]string{}
	}
	p.s.kindPaths[p.kind().Name] = path
	gated := func(h handler) handler {
		if p.gate == nil {
			return h
		}
		return func(req *request) error {
			if err := p.gate(req); err != nil {
				return err
			}
			return h(req)
		}
	}
	p.s.route("GET "+path, signedIn, gated(p.listPage))
	p.s.route("GET "+path+"/new", writers, gated(p.newPage))
	p.s.route("POST "+path, writers, gated(p.create))
	p.s.route("GET "+path+"/{id}", signedIn, gated(p.viewPage))
	p.s.route("GET "+path+"/{id}/edit", writers, gated(p.editPage))
	p.s.route("POST "+path+"/{id}", writers, gated(p.update))
	p.s.route("GET "+path+"/{id}/history", signedIn, gated(p.historyPage))
}

// get loads the record of the path: 404 alike for a missing record and one
// the user may not see; with edit, 403 for one they see but may not change.
func (p *kindPages[T]) get(req *request, edit bool) (*T, error) {
	r, err := p.svc.Get(req.r.Context(), req.user, req.r.PathValue("id"), edit)
	switch {
	case errors.Is(err, records.ErrNotFound):
		return nil, errNotFound
	case errors.Is(err, records.ErrForbidden):
		return nil, errForbidden
	}
	return r, err
}

// open fills a restricted record's sealed text in for a member (the read
// audited), and says what the page should tell of it.
func (p *kindPages[T]) open(req *request, r *T) (string, error) {
	k := p.kind()
	ctx, actor := req.r.Context(), req.user.Username
	return p.s.openSealed(req, k.Name, k.ID(r), k.Visibility(r), func(by keys.Identity) error {
		_, err := keys.OpenRecord(ctx, p.s.st, actor, by, k, r)
		return err
	})
}

func (p *kindPages[T]) listPage(req *request) error {
	q := strings.TrimSpace(req.r.URL.Query().Get("q"))
	page := peoplePageNum(req.r)
	list, total, err := p.svc.List(req.r.Context(), req.user, q, peoplePerPage, (page-1)*peoplePerPage)
	if err != nil {
		return err
	}
	data := map[string]any{"Q": q, "CanCreate": access.CanCreate(req.user), "Msg": p.msg(), "Path": p.kind().Path,
		"List": listViewOf(p.kind(), p.countKey, list, total, newPeoplePager(p.kind().Path, q, page, total))}
	if p.listExtra != nil {
		more, err := p.listExtra(req, list)
		if err != nil {
			return err
		}
		for key, v := range more {
			data[key] = v
		}
	}
	p.s.render(req, http.StatusOK, p.list, data)
	return nil
}

func (p *kindPages[T]) viewPage(req *request) error {
	r, err := p.get(req, false)
	if err != nil {
		return err
	}
	sealed, err := p.open(req, r)
	if err != nil {
		return err
	}
	k := p.kind()
	view := viewOf(k, r, false)
	p.s.linkRefs(req, &view)
	data := map[string]any{"Record": view, "Sealed": sealed, "Msg": p.msg(), "Path": k.Path,
		"CanEdit": access.CanEdit(req.user, k.Visibility(r), k.Meta(r).CreatedBy)}
	if p.extra != nil {
		more, err := p.extra(req, r)
		if err != nil {
			return err
		}
		for key, v := range more {
			data[key] = v
		}
	}
	p.s.render(req, http.StatusOK, p.view, data)
	return nil
}

// formPage draws the form, with refused fields or a conflict.
func (p *kindPages[T]) formPage(req *request, status int, f record.Form, errs record.Errors, extra map[string]any) {
	data := map[string]any{"Form": formOfKind(p.kind(), f), "Errors": errs, "New": f.ID == "", "Msg": p.msg()}
	for key, v := range extra {
		data[key] = v
	}
	p.s.render(req, status, p.form, data)
}

func (p *kindPages[T]) newPage(req *request) error {
	if !access.CanCreate(req.user) {
		return errForbidden
	}
	f := p.kind().FormOf(p.svc.New())
	f.Version = ""
	// A link from a record's page may name what the new one belongs to
	// (/checkins/new?case=ID): its Ref fields come filled in.
	for _, fd := range p.kind().Fields {
		if v := req.r.URL.Query().Get(fd.Name); v != "" && (fd.Input == record.Ref || fd.Input == record.Refs) {
			f.Values.Set(fd.Name, v)
		}
	}
	p.formPage(req, http.StatusOK, f, nil, nil)
	return nil
}

func (p *kindPages[T]) create(req *request) error {
	if err := req.r.ParseForm(); err != nil {
		return errBadForm
	}
	f := p.kind().ReadForm("", req.r.PostForm)
	f.Version = ""
	r, errs, err := p.svc.Save(req.r.Context(), req.user, nil, f, p.s.sealerFor(req))
	switch {
	case errors.Is(err, records.ErrForbidden):
		return errForbidden
	case err != nil:
		return err
	case len(errs) > 0:
		p.formPage(req, http.StatusUnprocessableEntity, f, errs, nil)
		return nil
	}
	return errRedirect(p.kind().Path + "/" + p.kind().ID(r))
}

func (p *kindPages[T]) editPage(req *request) error {
	r, err := p.get(req, true)
	if err != nil {
		return err
	}
	if err := openForEdit(p.open(req, r)); err != nil {
		return err
	}
	p.formPage(req, http.StatusOK, p.kind().FormOf(r), nil, nil)
	return nil
}

// update saves the form over the version the user opened. When someone
// saved in between, nothing is saved: the form comes back with what the
// user typed, what changed meanwhile and by whom, and the new version, so
// that saving again is a deliberate choice.
func (p *kindPages[T]) update(req *request) error {
	old, err := p.get(req, true)
	if err != nil {
		return err
	}
	if err := openForEdit(p.open(req, old)); err != nil {
		return err
	}
	if err := req.r.ParseForm(); err != nil {
		return errBadForm
	}
	k := p.kind()
	f := k.ReadForm(k.ID(old), req.r.PostForm)
	version, err := strconv.Atoi(f.Version)
	if err != nil {
		return errBadForm
	}
	ctx := req.r.Context()
	r, errs, err := p.svc.Save(ctx, req.user, old, f, p.s.sealerFor(req))
	switch {
	case errors.Is(err, store.ErrConflict):
		cur, err := p.get(req, true)
		if err != nil {
			return err
		}
		versions, err := p.svc.Versions(ctx, cur)
		if err != nil {
			return err
		}
		fields, actors := peopleChangedSince(req.lang, historyFields(k), versions, version)
		f.Version = strconv.Itoa(k.Meta(cur).Version)
		p.formPage(req, http.StatusConflict, f, nil, map[string]any{"Conflict": true, "Changed": fields, "ChangedBy": actors})
		return nil
	case errors.Is(err, store.ErrNotFound):
		return errNotFound
	case err != nil:
		return err
	case len(errs) > 0:
		p.formPage(req, http.StatusUnprocessableEntity, f, errs, nil)
		return nil
	}
	if !access.CanSee(req.user, k.Visibility(r), k.Meta(r).CreatedBy) {
		return errRedirect(k.Path) // the user just restricted it away from themselves
	}
	return errRedirect(k.Path + "/" + k.ID(r))
}

func (p *kindPages[T]) historyPage(req *request) error {
	r, err := p.get(req, false)
	if err != nil {
		return err
	}
	versions, err := p.svc.Versions(req.r.Context(), r)
	if err != nil {
		return err
	}
	names := viewOf(p.kind(), r, false).Names
	if !locale.ArabicScript(req.lang) {
		slices.Reverse(names) // the names in the reader's script first
	}
	var name, other string
	if len(names) > 0 {
		name = names[0]
	}
	if len(names) > 1 {
		other = names[1]
	}
	p.s.render(req, http.StatusOK, "people_history", map[string]any{"Name": name, "OtherName": other,
		"Back": p.kind().Path + "/" + p.kind().ID(r), "Versions": peopleHistory(req.lang, historyFields(p.kind()), versions)})
	return nil
}

// historyFields are a kind's fields as its history page shows them.
func historyFields[T any](k *record.Kind[T]) peopleFields {
	pf := peopleFields{prefix: k.Message(""), vocabs: map[string]string{}, places: map[string]bool{}}
	for _, f := range k.Fields {
		pf.order = append(pf.order, f.Name)
		switch f.Input {
		case record.Code, record.Codes:
			pf.vocabs[f.Name] = f.Vocab
		case record.Admin1:
			pf.places[f.Name] = true
		}
	}
	return pf
}

// sealerFor is how a write of req reaches the protection compartment.
func (s *Server) sealerFor(req *request) records.Sealer {
	return func(context.Context) (*keys.RecordSealer, string, error) { return s.recordSealer(req, true) }
}
