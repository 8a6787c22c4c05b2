package web

import (
	"fmt"
	"html/template"
	"strings"
	"sync"

	"github.com/rasd-project/rasd/internal/vocab"
)

// option is one entry of a select: a vocabulary code and its label in one
// language. Templates read these as fields; calling Term.Label per option
// was a reflective method call each, on every render.
type option struct {
	Code, Label string
}

var optionCache sync.Map // vocabulary + "\x00" + lang → []option

// options lists a vocabulary's terms with their labels in lang, built once.
func options(vocabulary, lang string) []option {
	k := vocabulary + "\x00" + lang
	if v, ok := optionCache.Load(k); ok {
		return v.([]option)
	}
	terms := vocab.Get(vocabulary).Terms
	out := make([]option, len(terms))
	for i, t := range terms {
		out[i] = option{Code: t.Code, Label: t.Label(lang)}
	}
	optionCache.Store(k, out)
	return out
}

// optionList writes a select's options; made by html/template, so escaped.
var optionList = template.Must(template.New("options").Parse(`{{range .Opts}}<option value="{{.Code}}"` +
	`{{if eq .Code $.Selected}} selected{{end}}>{{if $.WithCode}}{{.Code}} · {{end}}{{.Label}}</option>{{end}}`))

var optionHTMLCache sync.Map // vocabulary, lang, withCode → template.HTML with nothing selected

// optionsHTML is the <option> list of a vocabulary in lang with selected
// marked. A page with three such selects spent a quarter of its rendering
// on them; with nothing selected (every plain view) the list is made once.
func optionsHTML(vocabulary, lang, selected string, withCode bool) template.HTML {
	k := fmt.Sprint(vocabulary, "\x00", lang, "\x00", withCode)
	if selected == "" {
		if v, ok := optionHTMLCache.Load(k); ok {
			return v.(template.HTML)
		}
	}
	var b strings.Builder
	err := optionList.Execute(&b, struct {
		Opts     []option
		Selected string
		WithCode bool
	}{options(vocabulary, lang), selected, withCode})
	if err != nil {
		panic(err) // a fixed template over strings cannot fail
	}
	h := template.HTML(b.String())
	if selected == "" {
		optionHTMLCache.Store(k, h)
	}
	return h
}
