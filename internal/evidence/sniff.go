package evidence

import (
	"bytes"
	"net/http"
	"strings"
)

// SniffLen is how many leading bytes Detect looks at.
const SniffLen = 512

// Allowed lists the types rasd accepts as evidence, with a label for
// people. Anything else is refused at intake: a type we cannot name is a
// type we cannot handle safely (or strip), and executables, archives and
// scripts have no place in an evidence store.
var Allowed = map[string]string{
	"image/jpeg": "JPEG image", "image/png": "PNG image", "image/gif": "GIF image", "image/webp": "WebP image",
	"image/heic": "HEIC/HEIF image", "image/tiff": "TIFF image",
	"application/pdf": "PDF document", "text/plain": "plain text",
	"application/vnd.openxmlformats-officedocument": "Office document (docx, xlsx, pptx)",
	"application/vnd.oasis.opendocument":            "OpenDocument (odt, ods, odp)",
	"application/x-ole-storage":                     "legacy Office document (doc, xls, ppt)",
	"audio/mpeg":                                    "MP3 audio", "audio/wave": "WAV audio", "audio/ogg": "Ogg/Opus audio", "audio/flac": "FLAC audio",
	"audio/amr": "AMR voice recording", "audio/mp4": "M4A audio", "audio/aiff": "AIFF audio",
	"video/mp4": "MP4 video", "video/quicktime": "QuickTime video", "video/3gpp": "3GP video", "video/webm": "WebM/Matroska video",
	"video/avi": "AVI video",
}

// Detect names the type of a file from its first bytes (up to SniffLen),
// never from its name: net/http's sniffer, after the signatures it does
// not know (HEIC, MOV, 3GP, M4A, FLAC, AMR, TIFF, Office and OpenDocument
// files) and those of programs (Programs); text that holds markup or
// script is named as such. It returns "application/octet-stream" when it
// cannot tell.
func Detect(head []byte) string {
	if len(head) > SniffLen {
		head = head[:SniffLen]
	}
	if t := magic(head); t != "" {
		return t
	}
	if t := programMagic(head); t != "" {
		return t
	}
	t, _, _ := strings.Cut(http.DetectContentType(head), ";")
	switch t {
	case "application/ogg":
		return "audio/ogg"
	case "text/plain", "text/xml":
		if s := textScript(head); s != "" {
			return s
		}
	}
	return t
}

func magic(b []byte) string {
	switch {
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		return ftyp(b)
	case bytes.HasPrefix(b, []byte("fLaC")):
		return "audio/flac"
	case bytes.HasPrefix(b, []byte("#!AMR")):
		return "audio/amr"
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")):
		return "image/tiff"
	case bytes.HasPrefix(b, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		return "application/x-ole-storage"
	case bytes.HasPrefix(b, []byte("PK\x03\x04")) && len(b) >= 30:
		return zipType(b)
	}
	return ""
}

// ftyp names ISO base media files by their major brand.
func ftyp(b []byte) string {
	brand := string(b[8:12])
	switch {
	case brand == "heic", brand == "heix", brand == "heim", brand == "heis", brand == "hevc", brand == "mif1", brand == "msf1", brand == "avif":
		return "image/heic"
	case brand == "qt  ":
		return "video/quicktime"
	case strings.HasPrefix(brand, "3g"):
		return "video/3gpp"
	case brand == "M4A ", brand == "M4B ":
		return "audio/mp4"
	}
	return "video/mp4"
}

// zipType tells Office Open XML and OpenDocument files from other ZIP
// archives by the first entry's name, which both formats fix.
func zipType(b []byte) string {
	n := int(b[26]) | int(b[27])<<8
	if 30+n > len(b) {
		return "application/zip"
	}
	name := string(b[30 : 30+n])
	switch {
	case name == "[Content_Types].xml", strings.HasPrefix(name, "_rels/"), strings.HasPrefix(name, "docProps/"),
		strings.HasPrefix(name, "word/"), strings.HasPrefix(name, "xl/"), strings.HasPrefix(name, "ppt/"):
		return "application/vnd.openxmlformats-officedocument"
	case name == "mimetype" && bytes.Contains(b[30+n:], []byte("application/vnd.oasis.opendocument")):
		return "application/vnd.oasis.opendocument"
	}
	return "application/zip"
}
