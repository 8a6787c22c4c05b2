package web

import (
	"slices"
	"strings"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/record"
)

// What the generic record templates (partials/record.html) draw: a record
// kind's fields as package kinds describes them, for its page, its list
// and its form.

// fieldView is one field of a record, ready to draw.
type fieldView struct {
	Name     string
	Label    string // message key
	Hint     string // message key, "" for none
	Input    string // record.Input's name: "text", "codes", …
	Vocab    string
	Dir      string // "rtl", "ltr" or "auto"
	Required bool
	Value    any       // on a page: string, []string, int or bool
	Ref      string    // Ref and Refs: the kind of record named
	Links    []refLink // Ref and Refs on a page: the records named, as links
	// On a form, as typed:
	Text    string
	Picked  []string
	Checked bool
}

// refLink is a record a Ref field names, as a page links to it.
type refLink struct{ Path, Text string }

// sectionView is a group of a form's fields under one legend.
type sectionView struct {
	Legend, Hint string // message keys
	Fields       []fieldView
}

// recordView is a record on its page or in a list.
type recordView struct {
	ID, Path   string
	Names      []string // its Title fields that hold a name
	Visibility string
	Fields     []fieldView // every field (page) or the List fields (list)
	Meta       model.Meta
}

// formView is a record's form.
type formView struct {
	ID, Version    string
	New            bool
	Action, Cancel string
	Sections       []sectionView
}

func fieldOf[T any](k *record.Kind[T], f record.Field) fieldView {
	v := fieldView{Name: f.Name, Label: k.Label(f.Name), Input: f.Input.String(), Vocab: f.Vocab,
		Dir: f.Dir, Required: f.Required, Ref: f.Ref}
	if v.Dir == "" {
		v.Dir = "auto"
	}
	if hint := k.Message(f.Name + "_hint"); i18n.Has("en", hint) {
		v.Hint = hint
	} else if hint := k.Message(f.Name + "_explain"); i18n.Has("en", hint) {
		v.Hint = hint
	} else if f.Input == record.Lines {
		v.Hint = "people.one_per_line"
	}
	return v
}

// viewOf is r on its page (all fields) or in a list (list: the List ones).
func viewOf[T any](k *record.Kind[T], r *T, list bool) recordView {
	v := recordView{ID: k.ID(r), Path: k.Path + "/" + k.ID(r), Visibility: k.Visibility(r), Meta: *k.Meta(r)}
	for _, name := range k.Title {
		if s, _ := k.Get(r, name).(string); s != "" {
			v.Names = append(v.Names, s)
		}
	}
	for _, f := range k.Fields {
		if f.Hidden || list && !f.List {
			continue
		}
		fv := fieldOf(k, f)
		fv.Value = k.Get(r, f.Name)
		v.Fields = append(v.Fields, fv)
	}
	return v
}

// listOf is records in a list.
func listOf[T any](k *record.Kind[T], rs []T) []recordView {
	out := make([]recordView, len(rs))
	for i := range rs {
		out[i] = viewOf(k, &rs[i], true)
	}
	return out
}

// formOfKind is form f of kind k, its fields grouped by section.
func formOfKind[T any](k *record.Kind[T], f record.Form) formView {
	v := formView{ID: f.ID, Version: f.Version, New: f.ID == "", Action: k.Path, Cancel: k.Path}
	if !v.New {
		v.Action, v.Cancel = k.Path+"/"+f.ID, k.Path+"/"+f.ID
	}
	for _, fd := range k.Fields {
		if fd.Hidden {
			continue
		}
		fv := fieldOf(k, fd)
		fv.Text, fv.Picked, fv.Checked = f.Get(fd.Name), f.Values[fd.Name], f.Checked(fd.Name)
		i := slices.IndexFunc(v.Sections, func(s sectionView) bool { return s.Legend == k.Message(fd.Section) })
		if i < 0 {
			s := sectionView{Legend: k.Message(fd.Section)}
			if hint := k.Message(fd.Section + "_hint"); i18n.Has("en", hint) {
				s.Hint = hint
			}
			v.Sections = append(v.Sections, s)
			i = len(v.Sections) - 1
		}
		v.Sections[i].Fields = append(v.Sections[i].Fields, fv)
	}
	return v
}

// listView is one page of a kind's list.
type listView struct {
	CountKey    string   // message of how many there are: "persons.count"
	TitleLabels []string // the Title fields' labels
	Columns     []string // the List fields' labels
	Records     []listRow
	Total       int
	Pager       peoplePager
}

// listRow is one record of a list: its names, one cell per Title field.
type listRow struct {
	recordView
	TitleCells []string
}

func listViewOf[T any](k *record.Kind[T], countKey string, rs []T, total int, pager peoplePager) listView {
	v := listView{CountKey: countKey, Total: total, Pager: pager}
	for _, name := range k.Title {
		v.TitleLabels = append(v.TitleLabels, k.Label(name))
	}
	for _, f := range k.Fields {
		if f.List && !f.Hidden {
			v.Columns = append(v.Columns, k.Label(f.Name))
		}
	}
	for i := range rs {
		row := listRow{recordView: viewOf(k, &rs[i], true)}
		for _, name := range k.Title {
			s, _ := k.Get(&rs[i], name).(string)
			row.TitleCells = append(row.TitleCells, s)
		}
		v.Records = append(v.Records, row)
	}
	return v
}

// linkRefs fills in the links of the Ref and Refs fields of v: each record
// named, with what the reader may see of it (refText).
func (s *Server) linkRefs(req *request, v *recordView) {
	for i := range v.Fields {
		f := &v.Fields[i]
		var ids []string
		switch x := f.Value.(type) {
		case string:
			if f.Input == "ref" && x != "" {
				ids = []string{x}
			}
		case []string:
			if f.Input == "refs" {
				ids = x
			}
		}
		for _, id := range ids {
			f.Links = append(f.Links, s.refText(req, f.Ref, id))
		}
	}
}

// refText is the link to a record a Ref names, named as the reader may see
// it: an incident by its code, a person or organisation by a name; a
// record they may not see, or whose names are sealed, by "—" (its page
// then answers as for a missing one).
func (s *Server) refText(req *request, kind, id string) refLink {
	ctx := req.r.Context()
	switch kind {
	case "incident":
		if inc, err := s.incidents.Get(ctx, incidents.As(req.user), id); err == nil {
			return refLink{"/incidents/" + id, inc.Code}
		}
		return refLink{"/incidents/" + id, "—"}
	case "person":
		if p, err := s.people.Persons.Get(ctx, req.user, id, false); err == nil && (p.NameAR != "" || p.NameLatin != "") {
			return refLink{"/persons/" + id, strings.TrimSpace(p.NameAR + " " + p.NameLatin)}
		}
		return refLink{"/persons/" + id, "—"}
	case "organisation":
		if o, err := s.people.Organisations.Get(ctx, req.user, id, false); err == nil && (o.NameAR != "" || o.NameEN != "") {
			return refLink{"/organisations/" + id, strings.TrimSpace(o.NameAR + " " + o.NameEN)}
		}
		return refLink{"/organisations/" + id, "—"}
	}
	if path, ok := s.kindPaths[kind]; ok {
		return refLink{path + "/" + id, "→"}
	}
	return refLink{"", id}
}
