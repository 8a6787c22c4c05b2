package evidence

import (
	"bytes"
	"errors"
	"image/jpeg"
	"image/png"
	"slices"
	"testing"
)

func mustNotContain(t *testing.T, what string, b []byte, canaries ...string) {
	t.Helper()
	for _, c := range canaries {
		if bytes.Contains(b, []byte(c)) {
			t.Errorf("%s still contains %q", what, c)
		}
	}
}

func TestStripJPEG(t *testing.T) {
	in := fixture(t, "gps.jpg")
	orig := bytes.Clone(in)
	out, err := StripJPEG(in)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(in, orig) {
		t.Fatal("StripJPEG changed its input")
	}
	if _, ok := jpegGPS(out); ok {
		t.Error("the working copy still has a GPS position")
	}
	mustNotContain(t, "the working copy", out, "Exif\x00", "http://ns.adobe.com/xap", "Photoshop 3.0", "comment:",
		canaryCamera, canaryAuthor, canaryXMP)
	a, err := jpeg.Decode(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	b, err := jpeg.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("the working copy does not decode: %v", err)
	}
	if a.Bounds() != b.Bounds() || a.At(5, 7) != b.At(5, 7) {
		t.Error("the working copy's pixels differ from the original's")
	}
	if !bytes.Contains(out, []byte("JFIF\x00")) {
		t.Error("the JFIF header a decoder needs was dropped")
	}
}

func TestStripJPEGProgressiveMarkersBetweenScans(t *testing.T) {
	// A COM between two scans, and an APP1 after the first scan, are
	// found by following the entropy-coded data, not only the header.
	in := []byte{0xFF, 0xD8}
	in = append(in, segment(0xDB, make([]byte, 65))...)
	in = append(in, segment(0xDA, []byte{1, 1, 0, 0, 63, 0})...)
	in = append(in, 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56)
	in = append(in, segment(0xFE, []byte("between scans "+canaryAuthor))...)
	in = append(in, segment(0xE1, []byte("Exif\x00\x00"+canaryCamera))...)
	in = append(in, segment(0xDA, []byte{1, 1, 0, 0, 63, 0})...)
	in = append(in, 0x78, 0xFF, 0xD9)
	out, err := StripJPEG(in)
	if err != nil {
		t.Fatal(err)
	}
	mustNotContain(t, "the working copy", out, canaryAuthor, canaryCamera)
	if !bytes.Contains(out, []byte{0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56}) || !bytes.HasSuffix(out, []byte{0x78, 0xFF, 0xD9}) {
		t.Error("scan data was not copied as is")
	}
}

func TestStripPNG(t *testing.T) {
	in := fixture(t, "meta.png")
	out, err := StripPNG(append(bytes.Clone(in), "trailing garbage "+canaryAuthor...))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := pngGPS(out); ok {
		t.Error("the working copy still has a GPS position")
	}
	for _, c := range []string{"eXIf", "tEXt", "iTXt", "zTXt", "tIME"} {
		if slices.Contains(pngChunks(out), c) {
			t.Errorf("the working copy still has a %s chunk", c)
		}
	}
	mustNotContain(t, "the working copy", out, canaryAuthor, canaryCamera, canaryXMP)
	if _, err := png.Decode(bytes.NewReader(out)); err != nil {
		t.Fatalf("the working copy does not decode: %v", err)
	}
	if got := pngChunks(out); got[0] != "IHDR" || got[len(got)-1] != "IEND" || !slices.Contains(got, "IDAT") {
		t.Errorf("critical chunks lost: %v", got)
	}
}

func TestStripPDF(t *testing.T) {
	in := fixture(t, "meta.pdf")
	orig := bytes.Clone(in)
	out, err := StripPDF(in)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(in, orig) {
		t.Fatal("StripPDF changed its input")
	}
	if len(out) != len(in) {
		t.Fatalf("length %d, want %d (offsets must not move)", len(out), len(in))
	}
	if err := checkXref(out); err != nil {
		t.Fatalf("the working copy's xref is broken: %v", err)
	}
	mustNotContain(t, "the working copy", out, canaryAuthor, canaryXMP, canaryCamera, "xmpmeta", "D:2024", "field team", "Exif\x00")
	img := pdfJPEG(out)
	if _, ok := jpegGPS(img); ok {
		t.Error("the PDF's embedded JPEG still has a GPS position")
	}
	if _, err := jpeg.Decode(bytes.NewReader(img)); err != nil {
		t.Errorf("the PDF's embedded JPEG no longer decodes: %v", err)
	}
	hexCamera := []byte("5365637265744361")
	if bytes.Contains(out, hexCamera) {
		t.Error("the producer given as a hex string survived")
	}
	for _, keep := range []string{"/Author (", "/Producer <", "/Title 6 0 R", "(Hi) Tj", "/Type /Metadata"} {
		if !bytes.Contains(out, []byte(keep)) {
			t.Errorf("the structure %q was damaged", keep)
		}
	}
}

func TestStripPDFRefusesWhatItCannotReach(t *testing.T) {
	enc := bytes.Replace(fixture(t, "meta.pdf"), []byte("/Info 5 0 R"), []byte("/Encrypt 9 0 R"), 1)
	if _, err := StripPDF(enc); !errors.Is(err, ErrCannotClean) {
		t.Errorf("encrypted PDF: %v, want ErrCannotClean", err)
	}
	hidden := bytes.Replace(fixture(t, "meta.pdf"), []byte("/Info 5 0 R"), []byte("/Info 42 0 R"), 1)
	if _, err := StripPDF(hidden); !errors.Is(err, ErrCannotClean) {
		t.Errorf("info dictionary not found in the file (compressed): %v, want ErrCannotClean", err)
	}
}

func TestDetect(t *testing.T) {
	cases := map[string]string{
		string(fixture(t, "gps.jpg")):                      "image/jpeg",
		string(fixture(t, "meta.png")):                     "image/png",
		string(fixture(t, "meta.pdf")):                     "application/pdf",
		"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic": "image/heic",
		"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ":     "video/quicktime",
		"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00isommp42": "video/mp4",
		"\x00\x00\x00\x18ftyp3gp4\x00\x00\x00\x003gp4":     "video/3gpp",
		"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A ":     "audio/mp4",
		"fLaC\x00\x00\x00\x22":                             "audio/flac",
		"#!AMR\n":                                          "audio/amr",
		"OggS\x00\x02":                                     "audio/ogg",
		"ID3\x03\x00\x00\x00":                              "audio/mpeg",
		"II*\x00\x08\x00\x00\x00":                          "image/tiff",
		"PK\x03\x04\x14\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x13\x00\x00\x00[Content_Types].xml": "application/vnd.openxmlformats-officedocument",
		"PK\x03\x04\x14\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x05\x00\x00\x00a.exe":               "application/zip",
		"MZ\x90\x00\x03\x00\x00\x00":                  "application/x-msdownload",
		"#!/bin/sh\nrm -rf ~\n":                       "text/x-shellscript",
		"notes\n<script>alert(1)</script>":            "text/html",
		"<!DOCTYPE html><script>alert(1)</script>":    "text/html",
		"plain notes from the interview, no markup\n": "text/plain",
	}
	for in, want := range cases {
		if got := Detect([]byte(in)); got != want {
			t.Errorf("Detect(%q) = %s, want %s", in[:min(len(in), 12)], got, want)
		}
	}
	for _, bad := range []string{"application/zip", "application/octet-stream", "text/html"} {
		if _, ok := Allowed[bad]; ok {
			t.Errorf("%s is allowed", bad)
		}
	}
	for p := range Programs {
		if _, ok := Allowed[p]; ok {
			t.Errorf("the program type %s is allowed", p)
		}
	}
}

// pdfJPEG is the first JPEG image stream of a PDF.
func pdfJPEG(pdf []byte) []byte {
	i := bytes.Index(pdf, []byte("/DCTDecode"))
	if i < 0 {
		return nil
	}
	s := bytes.Index(pdf[i:], []byte("stream\n")) + i + len("stream\n")
	e := bytes.Index(pdf[s:], []byte("\nendstream")) + s
	return pdf[s:e]
}
