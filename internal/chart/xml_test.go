package chart

import (
	"github.com/rasd-project/rasd/internal/svgenc/svgtest"
)

// bars are the rects drawn for values.
func bars(root *svgtest.Node) []*svgtest.Node {
	var out []*svgtest.Node
	for _, r := range root.All("rect") {
		if r.Attr["class"] == "bar" {
			out = append(out, r)
		}
	}
	return out
}
