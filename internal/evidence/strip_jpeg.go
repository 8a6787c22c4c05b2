package evidence

import (
	"bytes"
	"errors"
)

var errJPEG = errors.New("not a well-formed JPEG: no working copy can be made")

// StripJPEG returns a copy of a JPEG without its metadata segments: APP1
// (Exif with GPS and camera serials, XMP), APP13 (IPTC/Photoshop), COM
// comments, and every other APPn except what decoding needs: APP0 JFIF
// or JFXX, APP2 ICC_PROFILE (colours) and APP14 Adobe (colour transform).
// Everything else, including the compressed image data and markers
// between progressive scans, is copied byte for byte; anything after the
// end-of-image marker is dropped. The image's pixels are unchanged, but
// the Exif orientation goes with the Exif block, so a photo may show
// rotated.
func StripJPEG(in []byte) ([]byte, error) {
	if len(in) < 4 || in[0] != 0xFF || in[1] != 0xD8 {
		return nil, errJPEG
	}
	out := make([]byte, 0, len(in))
	out = append(out, 0xFF, 0xD8)
	i := 2
	for {
		// Skip fill bytes before a marker.
		if i >= len(in) || in[i] != 0xFF {
			return nil, errJPEG
		}
		for i < len(in) && in[i] == 0xFF {
			i++
		}
		if i >= len(in) {
			return nil, errJPEG
		}
		m := in[i]
		i++
		switch {
		case m == 0xD9: // end of image
			return append(out, 0xFF, 0xD9), nil
		case m == 0x01 || (m >= 0xD0 && m <= 0xD7):
			out = append(out, 0xFF, m)
			continue
		case m == 0x00 || m == 0xD8:
			return nil, errJPEG
		}
		if i+2 > len(in) {
			return nil, errJPEG
		}
		n := int(in[i])<<8 | int(in[i+1])
		if n < 2 || i+n > len(in) {
			return nil, errJPEG
		}
		seg := in[i : i+n]
		i += n
		if keepSegment(m, seg[2:]) {
			out = append(out, 0xFF, m)
			out = append(out, seg...)
		}
		if m != 0xDA {
			continue
		}
		// Start of scan: copy the entropy-coded data up to the next real
		// marker (0xFF followed by neither a stuffed 0x00 nor a restart).
		start := i
		for i+1 < len(in) && (in[i] != 0xFF || in[i+1] == 0x00 || (in[i+1] >= 0xD0 && in[i+1] <= 0xD7) || in[i+1] == 0xFF) {
			i++
		}
		if i+1 >= len(in) {
			return nil, errJPEG
		}
		out = append(out, in[start:i]...)
	}
}

func keepSegment(m byte, body []byte) bool {
	switch {
	case m == 0xFE: // COM
		return false
	case m == 0xE0:
		return bytes.HasPrefix(body, []byte("JFIF\x00")) || bytes.HasPrefix(body, []byte("JFXX\x00"))
	case m == 0xE2:
		return bytes.HasPrefix(body, []byte("ICC_PROFILE\x00"))
	case m == 0xEE:
		return bytes.HasPrefix(body, []byte("Adobe"))
	case m >= 0xE1 && m <= 0xEF: // APP1 Exif/XMP, APP13 IPTC, and the rest
		return false
	}
	return true
}
