package vocab

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/rasd-project/rasd/internal/locale"
)

// Every term and place has an English and an Arabic label. Labels in the
// other languages of the locale table are in data/labels/LANG.json:
//
//	{"vocabularies": {"incident_type": {"killing": "…"}},
//	 "gazetteers": {"IQ": {"IQ-BG": "…", "IQG08Q01": "…"}}}
//
// What a language's file lacks reads in the fallback language.
//
//go:embed data/labels/*.json
var labelFiles embed.FS

// allLabels holds every labels file, by language, then by labelKey.
var allLabels = sync.OnceValue(func() map[string]map[string]string {
	names, err := labelFiles.ReadDir("data/labels")
	if err != nil {
		panic(err)
	}
	out := map[string]map[string]string{}
	for _, n := range names {
		raw, err := labelFiles.ReadFile(path.Join("data/labels", n.Name()))
		if err != nil {
			panic(err)
		}
		m, err := parseLabels(n.Name(), raw)
		if err != nil {
			panic("vocab: embedded " + err.Error())
		}
		out[strings.TrimSuffix(n.Name(), ".json")] = m
	}
	return out
})

type labelFile struct {
	Vocabularies map[string]map[string]string `json:"vocabularies"`
	Gazetteers   map[string]map[string]string `json:"gazetteers"`
}

func termKey(vocabulary, code string) string    { return vocabulary + "/" + code }
func placeLabelKey(country, code string) string { return "gazetteer " + country + "/" + code }

// parseLabels reads a labels file, refusing a language, vocabulary,
// gazetteer or code that does not exist and an empty label.
func parseLabels(name string, raw []byte) (map[string]string, error) {
	lang := strings.TrimSuffix(name, ".json")
	if !locale.Known(lang) {
		return nil, fmt.Errorf("labels %s: %q is not a language of internal/locale", name, lang)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var f labelFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("labels %s: %w", name, err)
	}
	out := map[string]string{}
	add := func(key, label string) error {
		if strings.TrimSpace(label) == "" {
			return fmt.Errorf("labels %s: %s is empty", name, key)
		}
		out[key] = label
		return nil
	}
	for v, codes := range f.Vocabularies {
		voc, ok := all[v]
		if !ok {
			return nil, fmt.Errorf("labels %s: no vocabulary %q", name, v)
		}
		for code, label := range codes {
			if !voc.Has(code) {
				return nil, fmt.Errorf("labels %s: %q is not a code of %s", name, code, v)
			}
			if err := add(termKey(v, code), label); err != nil {
				return nil, err
			}
		}
	}
	for c, codes := range f.Gazetteers {
		g, ok := gazetteers[c]
		if !ok {
			return nil, fmt.Errorf("labels %s: no gazetteer %q", name, c)
		}
		for code, label := range codes {
			if p, ok := g.Lookup(code); !ok || p.Code != code {
				return nil, fmt.Errorf("labels %s: %q is not a place code of gazetteer %s", name, code, c)
			}
			if err := add(placeLabelKey(c, code), label); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// labelIn is the label of key in lang: its own (ok), or the English or
// Arabic one given, by locale.Pick (ok only if lang is that language).
func labelIn(lang, key, ar, en string) (string, bool) {
	if l, ok := allLabels()[lang][key]; ok {
		return l, true
	}
	return locale.Pick(lang, ar, en), locale.Stored(lang)
}
