package extract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// MaxBytes is the largest report accepted, as read (before HTML is
// reduced to its text).
const MaxBytes = 5 << 20

// Errors of bad input; each message names what to do.
var (
	ErrEmpty    = errors.New("the report is empty: paste or upload a news report's text")
	ErrTooLarge = fmt.Errorf("the report is larger than the limit of 5 MB (%d bytes): split it or keep only the article", MaxBytes)
	ErrBinary   = errors.New("the report is not UTF-8 text (a binary file or another encoding): save it as UTF-8 text or HTML")
	ErrFuture   = errors.New("the publication date is in the future")
)

// Format of the input.
const (
	FormatAuto = ""
	FormatText = "text"
	FormatHTML = "html"
)

// ReadLimited reads r up to MaxBytes, refusing more with ErrTooLarge.
func ReadLimited(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxBytes {
		return nil, ErrTooLarge
	}
	return b, nil
}

// toText checks raw and reduces HTML to its text.
func toText(raw []byte, format string) (string, error) {
	if len(raw) > MaxBytes {
		return "", ErrTooLarge
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(raw)) == 0 {
		return "", ErrEmpty
	}
	if !utf8.Valid(raw) || bytes.IndexByte(raw, 0) >= 0 || controlShare(raw) {
		return "", ErrBinary
	}
	if format == FormatHTML || (format == FormatAuto && looksHTML(raw)) {
		s := htmlText(raw)
		if strings.TrimSpace(s) == "" {
			return "", fmt.Errorf("%w (the HTML holds no text outside scripts and styles)", ErrEmpty)
		}
		return s, nil
	}
	return string(raw), nil
}

// controlShare: more than 1% control characters other than tabs and line
// ends is not a text.
func controlShare(b []byte) bool {
	n, total := 0, 0
	for _, r := range string(b) {
		total++
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' && r != '\f' {
			n++
		}
	}
	return n*100 > total
}

func looksHTML(b []byte) bool {
	head := strings.ToLower(string(b[:min(len(b), 2048)]))
	for _, tag := range []string{"<!doctype html", "<html", "<body", "<p>", "<p ", "<div", "<article", "<br", "<script", "<style", "<h1", "<span"} {
		if strings.Contains(head, tag) {
			return true
		}
	}
	return false
}

// htmlText is the text of an HTML document: scripts, styles, templates and
// other non-text elements are dropped unread, block elements end a line.
func htmlText(b []byte) string {
	z := html.NewTokenizer(bytes.NewReader(b))
	var sb strings.Builder
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return sb.String()
		case html.TextToken:
			if skip == 0 {
				sb.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if skipped(a) {
				if tt == html.StartTagToken {
					skip++
				}
				continue
			}
			if block(a) {
				sb.WriteString("\n")
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if skipped(a) {
				if skip > 0 {
					skip--
				}
				continue
			}
			if block(a) {
				sb.WriteString("\n")
			}
		}
	}
}

func skipped(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe, atom.Svg, atom.Math, atom.Object, atom.Head, atom.Nav, atom.Footer, atom.Form, atom.Select, atom.Button:
		return true
	}
	return false
}

func block(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Br, atom.Li, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Tr, atom.Td, atom.Th,
		atom.Article, atom.Section, atom.Header, atom.Blockquote, atom.Pre, atom.Ul, atom.Ol, atom.Table, atom.Hr, atom.Time, atom.Figcaption:
		return true
	}
	return false
}

// detectLang chooses Arabic when Arabic letters outnumber Latin ones.
func detectLang(s string) string {
	ar, lat := 0, 0
	for i, r := range s {
		if i > 200000 {
			break
		}
		switch {
		case r >= 0x0600 && r <= 0x06FF:
			ar++
		case r < 0x250 && unicode.IsLetter(r):
			lat++
		}
	}
	if ar > lat {
		return "ar"
	}
	return "en"
}
