package portal

import (
	"fmt"
	"path"
	"strings"
)

// Marks stand in for what differs between the pages of one directory
// when their chrome is rendered.
const (
	titleMark   = "QQRASDTITLEQQ"
	fileMark    = "QQRASDFILEQQ"
	contentMark = "QQRASDCONTENTQQ"
)

// chrome is the layout around a page's content: head, header,
// navigation and footer. It is rendered once per language and directory,
// since every page of a directory links to the same places; only the
// page's title and its own file name (in the link to its twin in the
// other language) differ, and render puts them in. Rendering the layout
// for each of a hundred thousand incident pages would be a third of the
// work of publishing.
type chrome struct{ head, foot string }

func (s *site) chrome(lang, dir string) (chrome, error) {
	key := lang + "/" + dir
	if c, ok := s.chromes[key]; ok {
		return c, nil
	}
	p := s.page(lang, path.Join(dir, fileMark))
	p.Title = titleMark
	var b strings.Builder
	if err := s.pages["layout"].Execute(&b, p); err != nil {
		return chrome{}, err
	}
	head, foot, ok := strings.Cut(b.String(), contentMark)
	if !ok || strings.Count(head, titleMark) != 1 || strings.Contains(foot, titleMark) {
		return chrome{}, fmt.Errorf("layout: the marks of title and content are not where expected")
	}
	c := chrome{head: head, foot: foot}
	s.chromes[key] = c
	return c, nil
}
