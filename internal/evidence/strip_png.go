package evidence

import (
	"bytes"
	"encoding/binary"
	"errors"
)

var errPNG = errors.New("not a well-formed PNG: no working copy can be made")

const pngSig = "\x89PNG\r\n\x1a\n"

// pngKeep are the ancillary chunks a working copy keeps: what is needed
// to show the image as intended (transparency, colour, gamma, physical
// size) and to animate it (APNG). Text (tEXt, zTXt, iTXt: software,
// author, comments, XMP), eXIf (Exif with GPS), tIME and every chunk not
// listed here, including private ones, are dropped. Critical chunks
// (IHDR, PLTE, IDAT, IEND, and any other whose name starts upper-case)
// are always kept: a decoder needs them.
var pngKeep = map[string]bool{"tRNS": true, "gAMA": true, "cHRM": true, "sRGB": true, "iCCP": true, "sBIT": true,
	"bKGD": true, "pHYs": true, "hIST": true, "sPLT": false, "cICP": true, "mDCv": true, "cLLi": true,
	"acTL": true, "fcTL": true, "fdAT": true}

// StripPNG returns a copy of a PNG with only the chunks above, up to
// IEND; anything after IEND is dropped. Chunks are copied with their CRC.
func StripPNG(in []byte) ([]byte, error) {
	if !bytes.HasPrefix(in, []byte(pngSig)) {
		return nil, errPNG
	}
	out := append(make([]byte, 0, len(in)), pngSig...)
	i := len(pngSig)
	for {
		if i+12 > len(in) {
			return nil, errPNG
		}
		n := binary.BigEndian.Uint32(in[i:])
		if n > 1<<31-1 || uint64(i)+12+uint64(n) > uint64(len(in)) {
			return nil, errPNG
		}
		typ := string(in[i+4 : i+8])
		end := i + 12 + int(n)
		if typ[0] >= 'A' && typ[0] <= 'Z' || pngKeep[typ] {
			out = append(out, in[i:end]...)
		}
		i = end
		if typ == "IEND" {
			return out, nil
		}
	}
}
