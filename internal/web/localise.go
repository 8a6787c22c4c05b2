package web

import (
	"html"
	"html/template"
	"text/template/parse"

	"github.com/rasd-project/rasd/internal/i18n"
)

// localise writes the translation of every constant message in t's
// templates — {{.T "key"}} or {{$.T "key"}}, with no other argument — into
// the template as escaped text, for one language. A page has dozens of
// them, and each call costs a reflective method lookup on every render
// (they were most of an incident page's CPU time); translations are fixed
// at start, so one template set per language does that work once.
// It must run before the first Execute, which escapes the tree.
func localise(t *template.Template, lang string) {
	for _, tt := range t.Templates() {
		if tt.Tree != nil && tt.Tree.Root != nil {
			localiseList(tt.Tree.Root, lang)
		}
	}
}

func localiseList(l *parse.ListNode, lang string) {
	if l == nil {
		return
	}
	for i, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			if key, ok := constantMessage(n.Pipe); ok {
				// Escaped for element content and quoted attribute values,
				// the only places messages appear.
				l.Nodes[i] = &parse.TextNode{NodeType: parse.NodeText, Pos: n.Pos,
					Text: []byte(html.EscapeString(i18n.T(lang, key)))}
			}
		case *parse.IfNode:
			localiseList(n.List, lang)
			localiseList(n.ElseList, lang)
		case *parse.RangeNode:
			localiseList(n.List, lang)
			localiseList(n.ElseList, lang)
		case *parse.WithNode:
			localiseList(n.List, lang)
			localiseList(n.ElseList, lang)
		case *parse.ListNode:
			localiseList(n, lang)
		}
	}
}

// constantMessage recognises the pipeline .T "key" or $.T "key".
func constantMessage(p *parse.PipeNode) (string, bool) {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 2 {
		return "", false
	}
	args := p.Cmds[0].Args
	key, ok := args[1].(*parse.StringNode)
	if !ok {
		return "", false
	}
	switch f := args[0].(type) {
	case *parse.FieldNode:
		ok = len(f.Ident) == 1 && f.Ident[0] == "T"
	case *parse.VariableNode:
		ok = len(f.Ident) == 2 && f.Ident[0] == "$" && f.Ident[1] == "T"
	default:
		ok = false
	}
	return key.Text, ok
}
