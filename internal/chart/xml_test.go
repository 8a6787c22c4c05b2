package chart

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"
)

// node is a parsed XML element, enough to check charts without goldens.
type node struct {
	name  string
	attr  map[string]string
	kids  []*node
	text  string // character data directly inside
	outer *node
}

// parse decodes doc to EOF; any XML error fails the test.
func parse(t *testing.T, doc string) *node {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	root := &node{name: "#doc"}
	cur := root
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not XML: %v\n%s", err, doc)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attr: map[string]string{}, outer: cur}
			for _, a := range tok.Attr {
				n.attr[a.Name.Local] = a.Value
			}
			cur.kids = append(cur.kids, n)
			cur = n
		case xml.EndElement:
			cur = cur.outer
		case xml.CharData:
			cur.text += string(tok)
		}
	}
	if len(root.kids) != 1 {
		t.Fatalf("want one root element, got %d", len(root.kids))
	}
	return root.kids[0]
}

// all lists the elements named name under n, in document order.
func (n *node) all(name string) []*node {
	var out []*node
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
		out = append(out, k.all(name)...)
	}
	return out
}

func (n *node) float(t *testing.T, a string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(n.attr[a], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.name, a, n.attr[a], err)
	}
	return f
}

// bars are the rects drawn for values.
func bars(root *node) []*node {
	var out []*node
	for _, r := range root.all("rect") {
		if r.attr["class"] == "bar" {
			out = append(out, r)
		}
	}
	return out
}
