// Package svgtest parses SVG (any XML) into a small tree for tests that
// check drawings by their structure rather than against golden files.
package svgtest

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"
)

// Node is a parsed XML element.
type Node struct {
	Name  string
	Attr  map[string]string
	Kids  []*Node
	Text  string // character data directly inside
	Outer *Node
}

// Parse decodes doc to EOF; any XML error, or more or fewer than one root
// element, fails the test.
func Parse(t testing.TB, doc string) *Node {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	root := &Node{Name: "#doc"}
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
			n := &Node{Name: tok.Name.Local, Attr: map[string]string{}, Outer: cur}
			for _, a := range tok.Attr {
				n.Attr[a.Name.Local] = a.Value
			}
			cur.Kids = append(cur.Kids, n)
			cur = n
		case xml.EndElement:
			cur = cur.Outer
		case xml.CharData:
			cur.Text += string(tok)
		}
	}
	if len(root.Kids) != 1 {
		t.Fatalf("want one root element, got %d", len(root.Kids))
	}
	return root.Kids[0]
}

// All lists the elements named name under n, in document order.
func (n *Node) All(name string) []*Node {
	var out []*Node
	for _, k := range n.Kids {
		if k.Name == name {
			out = append(out, k)
		}
		out = append(out, k.All(name)...)
	}
	return out
}

// Class lists the elements under n whose class attribute is c.
func (n *Node) Class(c string) []*Node {
	var out []*Node
	for _, k := range n.Kids {
		if k.Attr["class"] == c {
			out = append(out, k)
		}
		out = append(out, k.Class(c)...)
	}
	return out
}

// Float reads attribute a as a number, failing the test if it is not one.
func (n *Node) Float(t testing.TB, a string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(n.Attr[a], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.Name, a, n.Attr[a], err)
	}
	return f
}
