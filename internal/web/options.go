package web

import (
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
