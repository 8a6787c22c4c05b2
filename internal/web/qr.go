package web

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/boombuler/barcode/qr"
)

// qrSVG draws text as a QR code in SVG, on the server: the authenticator
// link for a phone's camera, so that nobody types a 32-letter key. Each
// run of dark modules in a row is one rectangle of the path; the quiet zone
// is the four modules the standard asks for. "" if text cannot be encoded.
func qrSVG(text, title string) template.HTML {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return ""
	}
	const quiet = 4
	b := code.Bounds()
	w, h := b.Dx(), b.Dy()
	var path strings.Builder
	for y := 0; y < h; y++ {
		for x := 0; x < w; {
			if r, _, _, _ := code.At(b.Min.X+x, b.Min.Y+y).RGBA(); r != 0 {
				x++
				continue
			}
			run := 1
			for x+run < w {
				if r, _, _, _ := code.At(b.Min.X+x+run, b.Min.Y+y).RGBA(); r != 0 {
					break
				}
				run++
			}
			fmt.Fprintf(&path, "M%d %dh%dv1h-%dz", x+quiet, y+quiet, run, run)
			x += run
		}
	}
	size := w + 2*quiet
	return template.HTML(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 %d %d" role="img" aria-label="%s" shape-rendering="crispEdges">`+
		`<rect width="%d" height="%d" fill="#fff"/><path d="%s" fill="#000"/></svg>`,
		size, h+2*quiet, template.HTMLEscapeString(title), size, h+2*quiet, path.String()))
}
