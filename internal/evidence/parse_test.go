package evidence

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"regexp"
	"strconv"
)

// Independent readers used to check fixtures and working copies: they
// find the GPS latitude the way a photo viewer would.

// exifGPSLat reads GPSLatitude from a TIFF/Exif block.
func exifGPSLat(t []byte) (lat [3][2]uint32, ok bool) {
	if len(t) < 8 {
		return lat, false
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if string(t[:2]) == "MM" {
		bo = binary.BigEndian
	}
	entries := func(off uint32) map[uint16][3]uint32 { // tag → type, count, value/offset
		m := map[uint16][3]uint32{}
		if int(off)+2 > len(t) {
			return m
		}
		n := int(bo.Uint16(t[off:]))
		for i := range n {
			e := int(off) + 2 + 12*i
			if e+12 > len(t) {
				break
			}
			m[bo.Uint16(t[e:])] = [3]uint32{uint32(bo.Uint16(t[e+2:])), bo.Uint32(t[e+4:]), bo.Uint32(t[e+8:])}
		}
		return m
	}
	gps, ok := entries(bo.Uint32(t[4:]))[0x8825]
	if !ok {
		return lat, false
	}
	la, ok := entries(gps[2])[2]
	if !ok || la[0] != 5 || la[1] != 3 || int(la[2])+24 > len(t) {
		return lat, false
	}
	for i := range 3 {
		lat[i] = [2]uint32{bo.Uint32(t[la[2]+uint32(8*i):]), bo.Uint32(t[la[2]+uint32(8*i)+4:])}
	}
	return lat, true
}

// jpegGPS looks through a JPEG's segments for an Exif block with GPS.
func jpegGPS(b []byte) ([3][2]uint32, bool) {
	for i := 2; i+4 <= len(b) && b[i] == 0xFF; {
		m, n := b[i+1], int(b[i+2])<<8|int(b[i+3])
		if m == 0xDA || i+2+n > len(b) {
			break
		}
		body := b[i+4 : i+2+n]
		if m == 0xE1 && bytes.HasPrefix(body, []byte("Exif\x00\x00")) {
			if lat, ok := exifGPSLat(body[6:]); ok {
				return lat, true
			}
		}
		i += 2 + n
	}
	return [3][2]uint32{}, false
}

// pngGPS looks through a PNG's chunks for eXIf with GPS.
func pngGPS(b []byte) ([3][2]uint32, bool) {
	for i := 8; i+12 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[i:]))
		if i+12+n > len(b) {
			break
		}
		if string(b[i+4:i+8]) == "eXIf" {
			return exifGPSLat(b[i+8 : i+8+n])
		}
		i += 12 + n
	}
	return [3][2]uint32{}, false
}

// pngChunks lists a PNG's chunk types in order.
func pngChunks(b []byte) []string {
	var out []string
	for i := 8; i+12 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[i:]))
		out = append(out, string(b[i+4:i+8]))
		i += 12 + n
	}
	return out
}

// checkXref checks that every in-use xref entry points at "N G obj".
func checkXref(b []byte) error {
	m := regexp.MustCompile(`startxref\s+(\d+)`).FindSubmatch(b)
	if m == nil {
		return fmt.Errorf("no startxref")
	}
	x, _ := strconv.Atoi(string(m[1]))
	if x >= len(b) || !bytes.HasPrefix(b[x:], []byte("xref")) {
		return fmt.Errorf("startxref %d does not point at xref", x)
	}
	lines := bytes.Split(b[x:], []byte("\n"))
	var first, count int
	fmt.Sscanf(string(lines[1]), "%d %d", &first, &count)
	for i := range count {
		var off, gen int
		var kind string
		fmt.Sscanf(string(lines[2+i]), "%d %d %s", &off, &gen, &kind)
		if kind != "n" {
			continue
		}
		want := fmt.Sprintf("%d %d obj", first+i, gen)
		if off >= len(b) || !bytes.HasPrefix(b[off:], []byte(want)) {
			return fmt.Errorf("xref entry %d points at offset %d, where %q is not", first+i, off, want)
		}
	}
	return nil
}
