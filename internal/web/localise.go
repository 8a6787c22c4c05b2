package web

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"reflect"
	"strings"
	"text/template/parse"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/locale"
)

// localise finishes one page's templates for one language, once
// html/template has escaped them from entry, so that the context of every
// action is known (html/template records it as the escapers it appends):
//
//   - A constant message, {{.T "key"}} (on any receiver: in these
//     templates T is the page's), becomes text, escaped for HTML, and, in
//     element content, marked when lang lacks it and it shows in the
//     fallback language (see untranslated). A page has dozens of them, and
//     each call cost a reflective method lookup on every render; the
//     translations are fixed at start, so that work is done once.
//   - The page's other text methods (T with arguments, N, Label, Admin1)
//     called in element content are switched to their HTML variants
//     (THTML, …), which mark a fallback the same way. Elsewhere they stay
//     plain text for html/template to escape.
//
// Already-escaped text is right only where the browser decodes character
// references and nothing else: element content, a quoted attribute value,
// RCDATA (<title>, <textarea>). A constant message anywhere else — a URL,
// a script, a style, an unquoted attribute — is an error (it would be
// wrong there, or unsafe). (A template called in another context than
// element content is a copy html/template derives, out of reach here: its
// messages stay calls, escaped by html/template for where they are.)
func localise(t *template.Template, entry, lang string) error {
	var escapeErr *template.Error
	if err := t.ExecuteTemplate(io.Discard, entry, nil); errors.As(err, &escapeErr) {
		return err // nil data fails the execution, after the escaping we want
	}
	for _, tt := range t.Templates() {
		if tt.Tree == nil || tt.Tree.Root == nil {
			continue
		}
		l := &localiser{lang: lang, name: tt.Name()}
		if err := l.list(tt.Tree.Root); err != nil {
			return err
		}
	}
	return nil
}

type localiser struct {
	lang string
	name string // the template being localised, for errors
}

// Contexts where escaped text may be inserted: the escapers html/template
// appends to an action there.
const (
	ctxText   = "_html_template_htmlescaper"
	ctxAttr   = "_html_template_attrescaper"
	ctxRCDATA = "_html_template_rcdataescaper"
)

func (l *localiser) list(n *parse.ListNode) error {
	if n == nil {
		return nil
	}
	for i, node := range n.Nodes {
		var err error
		switch node := node.(type) {
		case *parse.ActionNode:
			var text *parse.TextNode
			if text, err = l.action(node); text != nil {
				n.Nodes[i] = text
			}
		case *parse.IfNode:
			err = errors.Join(l.list(node.List), l.list(node.ElseList))
		case *parse.RangeNode:
			err = errors.Join(l.list(node.List), l.list(node.ElseList))
		case *parse.WithNode:
			err = errors.Join(l.list(node.List), l.list(node.ElseList))
		case *parse.ListNode:
			err = l.list(node)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// action localises one action: a constant message becomes the returned
// text; a text method in element content is switched to its HTML variant.
func (l *localiser) action(a *parse.ActionNode) (*parse.TextNode, error) {
	escapers := escapersOf(a.Pipe)
	if len(escapers) == 0 || len(a.Pipe.Decl) > 0 {
		return nil, nil // not output, or not escaped: not reached from the entry
	}
	ctx := strings.Join(escapers, " | ")
	own := a.Pipe.Cmds[:len(a.Pipe.Cmds)-len(escapers)]
	if len(own) != 1 {
		return nil, nil
	}
	cmd := own[0]
	name, rename := methodOf(cmd.Args[0])
	if key, ok := constantMessage(cmd); ok {
		msg, in := i18n.Message(l.lang, key)
		var text string
		switch ctx {
		case ctxText:
			text = string(marked(msg, in, l.lang))
		case ctxAttr, ctxRCDATA:
			text = template.HTMLEscapeString(msg)
		default:
			return nil, fmt.Errorf("template %s: message %q is in a context (%s) where escaped text is wrong or unsafe: "+
				"use it only in element content, a quoted attribute value, <title> or <textarea>", l.name, key, ctx)
		}
		return &parse.TextNode{NodeType: parse.NodeText, Pos: a.Pos, Text: []byte(text)}, nil
	}
	if ctx == ctxText && rename != nil && htmlVariant(name, len(cmd.Args)-1) {
		rename(name + "HTML")
	}
	return nil, nil
}

// escapersOf lists the escapers html/template appended to a pipeline.
func escapersOf(p *parse.PipeNode) []string {
	var out []string
	for i := len(p.Cmds) - 1; i >= 0; i-- {
		c := p.Cmds[i]
		id, ok := c.Args[0].(*parse.IdentifierNode)
		if len(c.Args) != 1 || !ok || !strings.HasPrefix(id.Ident, "_html_template_") {
			break
		}
		out = append([]string{id.Ident}, out...)
	}
	return out
}

// methodOf names the method a command's first word calls (.T, $.T, $p.T,
// .P.T) and returns a function renaming it; "" and nil for anything else.
func methodOf(n parse.Node) (string, func(string)) {
	var ident []string
	switch n := n.(type) {
	case *parse.FieldNode:
		ident = n.Ident
	case *parse.VariableNode:
		if len(n.Ident) < 2 {
			return "", nil
		}
		ident = n.Ident
	case *parse.ChainNode:
		ident = n.Field
	}
	if len(ident) == 0 {
		return "", nil
	}
	last := len(ident) - 1
	return ident[last], func(s string) { ident[last] = s }
}

// constantMessage recognises .T "key" (any receiver), with no other
// argument.
func constantMessage(c *parse.CommandNode) (string, bool) {
	name, _ := methodOf(c.Args[0])
	if name != "T" || len(c.Args) != 2 {
		return "", false
	}
	key, ok := c.Args[1].(*parse.StringNode)
	if !ok {
		return "", false
	}
	return key.Text, true
}

// htmlVariant reports whether the page has a text method name taking args
// arguments with an HTML variant, nameHTML (T, N, Label, Admin1). The
// count tells the page's Label(vocabulary, code) from a vocabulary term's
// Label(lang).
func htmlVariant(name string, args int) bool {
	pt := reflect.TypeFor[*page]()
	m, ok := pt.MethodByName(name)
	if !ok || name == "" {
		return false
	}
	if _, ok := pt.MethodByName(name + "HTML"); !ok {
		return false
	}
	in := m.Type.NumIn() - 1 // the receiver
	if m.Type.IsVariadic() {
		return args >= in-1
	}
	return args == in
}

// marked is text, HTML-escaped, in a page in lang; text shown in another
// language (in: a message or label lang lacks) is marked as such.
func marked(text, in, lang string) template.HTML {
	esc := isolateLTR(template.HTMLEscapeString(text), lang)
	if in == lang || in == "" {
		return template.HTML(esc)
	}
	return untranslated(in, esc)
}

// untranslated wraps escaped text shown in the fallback language: its
// language and direction for the browser and screen readers, and a class
// that shows the reader it is not translated.
func untranslated(in, escaped string) template.HTML {
	return template.HTML(`<span lang="` + in + `" dir="` + locale.Dir(in) + `" class="untranslated">` + escaped + `</span>`)
}
