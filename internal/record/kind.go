// Package record is the machinery every kind of record shares: a Kind
// describes a record type's fields once, and from that description come
// its validation (one function, used by forms, imports and the API), its
// form, its history lines, the text sealed when it is restricted and the
// text it is found by. Persons and organisations are kinds; so is every
// record added later (docs/architecture.md, "Adding a record kind").
package record

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/vocab"
)

// Input is what a field holds and how it is typed in a form.
type Input int

const (
	Text     Input = iota // one line of text (string)
	Textarea              // paragraphs (string)
	Lines                 // one entry per line ([]string)
	Code                  // one code of Field.Vocab (string)
	Codes                 // several codes of Field.Vocab, kept in the vocabulary's order ([]string)
	Admin1                // a governorate code of the gazetteer (string)
	Year                  // a year, 1900 to this year (int)
	Count                 // a whole number, 0 or more (int)
	Bool                  // yes or no (bool)
	Date                  // a day, YYYY-MM-DD (string)
	Ref                   // the ID of another record, of kind Field.Ref (string)
	Refs                  // the IDs of other records, of kind Field.Ref ([]string)
)

var inputNames = [...]string{"text", "textarea", "lines", "code", "codes", "admin1", "year", "count", "bool", "date", "ref", "refs"}

func (in Input) String() string {
	if int(in) < len(inputNames) {
		return inputNames[in]
	}
	return fmt.Sprintf("input(%d)", int(in))
}

// goType is the Go type a field of each input must have.
func (in Input) goType() reflect.Type {
	switch in {
	case Lines, Codes, Refs:
		return reflect.TypeFor[[]string]()
	case Year, Count:
		return reflect.TypeFor[int]()
	case Bool:
		return reflect.TypeFor[bool]()
	}
	return reflect.TypeFor[string]()
}

// Default text limits, in characters: a name or title, and a paragraph.
const (
	MaxLine = 300
	MaxText = 20000
)

// Field is one field of a kind. Name is its JSON name in the record's
// snapshots, its form input's name and its message key's last part.
type Field struct {
	Name     string
	Input    Input
	Vocab    string // Code and Codes: the vocabulary (package vocab)
	Required bool
	Max      int  // Text, Textarea, Lines (each line): characters; 0 is MaxLine or MaxText
	Sealed   bool // identifying text: sealed with the record when it is restricted (docs/keys.md)
	Search   bool // the record is found by this field's text
	Hidden   bool // kept and validated, but not on the generic form (set by the code that owns it)
	// Section is the message key, under the kind's prefix, of the group
	// of the form the field is in ("names"): fields of one section are
	// drawn together, in order.
	Section string
	// Dir is the direction its text is typed in: "rtl" (Arabic script),
	// "ltr", or "" for the reader's (auto).
	Dir string
	// List shows the field as a column of the kind's list.
	List bool
	// Ref is the kind of record a Ref or Refs field names ("person",
	// "incident", or a kind of package kinds).
	Ref string
}

// Kind describes one kind of record of Go type T.
type Kind[T any] struct {
	// Name is the kind in history and audit entries ("person").
	Name string
	// Messages is the prefix of its message keys ("person" for
	// "person.name_ar"); "" is Name.
	Messages string
	// Path is where its pages are ("/persons").
	Path string
	// Group is the sealed field group of a restricted record's Sealed
	// fields (model.GroupRecord); "" if the kind is never restricted.
	Group  string
	Fields []Field
	// Check adds rules across fields (a name in either script, a date
	// after another) to those each field's description implies.
	Check func(r *T, errs Errors)
	// Title names the fields that name a record (its names in each
	// script), shown as its heading and its list's links.
	Title []string
	// Defaults fills in a new record before its first form.
	Defaults func(r *T)
	// Compartment, when set, makes every record of the kind restricted to
	// that compartment's members (docs/access.md): sealed in it, listed,
	// read, counted and even known to exist only for them.
	Compartment string
	// Parent names the Ref field that makes a record part of another (a
	// check-in of a case): it is listed and shown with that record.
	Parent string
	// Order sorts the kind's lists: a field name, "-" before it for
	// descending; "" is newest first.
	Order string

	index map[string][]int // field name -> struct field index path
	id    []int
	vis   []int
	meta  []int
	text  []int // the embedded model.SealedText, nil if the kind has none
}

// New checks k against T and makes it ready: every field must name a
// JSON field of T with the Go type its input needs, and T must have "id"
// and "visibility" strings and an embedded model.Meta. It panics on a
// mismatch: kinds are declared once, at start-up, and tested.
func New[T any](k Kind[T]) *Kind[T] {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct {
		panic(fmt.Sprintf("record.New: %s is not a struct", t))
	}
	byJSON := map[string][]int{}
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() {
			continue
		}
		if f.Type == reflect.TypeFor[model.Meta]() && f.Anonymous {
			k.meta = f.Index
		}
		if f.Type == reflect.TypeFor[model.SealedText]() && f.Anonymous {
			k.text = f.Index
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" && len(f.Index) == 1 {
			byJSON[name] = f.Index
		}
	}
	k.index = map[string][]int{}
	for _, f := range k.Fields {
		idx, ok := byJSON[f.Name]
		if !ok {
			panic(fmt.Sprintf("record.New(%s): no JSON field %q in %s", k.Name, f.Name, t))
		}
		if got, want := t.FieldByIndex(idx).Type, f.Input.goType(); got != want {
			panic(fmt.Sprintf("record.New(%s): field %q is %s, input %s needs %s", k.Name, f.Name, got, f.Input, want))
		}
		if (f.Input == Code || f.Input == Codes) && vocab.Get(f.Vocab) == nil {
			panic(fmt.Sprintf("record.New(%s): field %q names no vocabulary %q", k.Name, f.Name, f.Vocab))
		}
		if (f.Input == Ref || f.Input == Refs) && f.Ref == "" {
			panic(fmt.Sprintf("record.New(%s): field %q names no kind of record (Field.Ref)", k.Name, f.Name))
		}
		if _, dup := k.index[f.Name]; dup {
			panic(fmt.Sprintf("record.New(%s): field %q declared twice", k.Name, f.Name))
		}
		k.index[f.Name] = idx
	}
	var ok bool
	if k.id, ok = byJSON["id"]; !ok || t.FieldByIndex(k.id).Type.Kind() != reflect.String {
		panic(fmt.Sprintf("record.New(%s): %s has no string field \"id\"", k.Name, t))
	}
	if k.vis, ok = byJSON["visibility"]; !ok || t.FieldByIndex(k.vis).Type.Kind() != reflect.String {
		panic(fmt.Sprintf("record.New(%s): %s has no string field \"visibility\"", k.Name, t))
	}
	if k.meta == nil {
		panic(fmt.Sprintf("record.New(%s): %s does not embed model.Meta", k.Name, t))
	}
	if k.Group != "" && k.text == nil {
		panic(fmt.Sprintf("record.New(%s): a kind with sealed text must embed model.SealedText", k.Name))
	}
	if k.Compartment != "" && k.Group == "" {
		panic(fmt.Sprintf("record.New(%s): a kind kept in a compartment seals its text (Group)", k.Name))
	}
	if k.Parent != "" {
		if f, ok := k.Field(k.Parent); !ok || f.Input != Ref {
			panic(fmt.Sprintf("record.New(%s): its parent %q is not a Ref field", k.Name, k.Parent))
		}
	}
	if o := strings.TrimPrefix(k.Order, "-"); o != "" {
		if _, ok := k.index[o]; !ok {
			panic(fmt.Sprintf("record.New(%s): it is ordered by %q, which is none of its fields", k.Name, o))
		}
	}
	return &k
}

// KindName is the kind's name (store.Of finds its table by it).
func (k *Kind[T]) KindName() string { return k.Name }

// Field returns the description of the named field.
func (k *Kind[T]) Field(name string) (Field, bool) {
	for _, f := range k.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// Label is the message key of a field's label.
func (k *Kind[T]) Label(field string) string { return k.Message(field) }

// Message is the message key of one of the kind's messages ("title",
// "error.name").
func (k *Kind[T]) Message(key string) string {
	if k.Messages != "" {
		return k.Messages + "." + key
	}
	return k.Name + "." + key
}

// ID returns r's ID.
func (k *Kind[T]) ID(r *T) string { return reflect.ValueOf(r).Elem().FieldByIndex(k.id).String() }

// SetID sets r's ID.
func (k *Kind[T]) SetID(r *T, id string) { reflect.ValueOf(r).Elem().FieldByIndex(k.id).SetString(id) }

// Visibility returns r's visibility.
func (k *Kind[T]) Visibility(r *T) string {
	return reflect.ValueOf(r).Elem().FieldByIndex(k.vis).String()
}

// Meta returns r's bookkeeping, to read or set.
func (k *Kind[T]) Meta(r *T) *model.Meta {
	return reflect.ValueOf(r).Elem().FieldByIndex(k.meta).Addr().Interface().(*model.Meta)
}

// SealedText returns the sealed text r carries on its way to the store
// (package keys sets it, the store writes it), to read or set.
func (k *Kind[T]) SealedText(r *T) *model.SealedText {
	if k.text == nil {
		return &model.SealedText{}
	}
	return reflect.ValueOf(r).Elem().FieldByIndex(k.text).Addr().Interface().(*model.SealedText)
}

// Get returns the value of r's field: a string, []string, int or bool.
func (k *Kind[T]) Get(r *T, field string) any {
	idx, ok := k.index[field]
	if !ok {
		panic(fmt.Sprintf("record: kind %s has no field %q", k.Name, field))
	}
	return reflect.ValueOf(r).Elem().FieldByIndex(idx).Interface()
}

// Set sets r's field to v, which must have the field's Go type.
func (k *Kind[T]) Set(r *T, field string, v any) {
	idx, ok := k.index[field]
	if !ok {
		panic(fmt.Sprintf("record: kind %s has no field %q", k.Name, field))
	}
	reflect.ValueOf(r).Elem().FieldByIndex(idx).Set(reflect.ValueOf(v))
}
