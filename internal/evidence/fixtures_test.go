package evidence

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// The fixtures in testdata are made by the functions below; run
// go test ./internal/evidence -run TestFixtures -update to remake them.
var update = flag.Bool("update", false, "rewrite the testdata fixtures")

// Canary strings planted in the fixtures' metadata.
const (
	canaryCamera = "SecretCam-SN-4471"
	canaryAuthor = "Zainab Al-Fixture"
	canaryXMP    = "xmp-canary-Basra-3051"
)

// GPS position of the fixtures: 30.5085 N, 47.7804 E (Basra).
var gpsLat = [3][2]uint32{{30, 1}, {30, 1}, {306, 10}}

// exifTIFF builds a little-endian TIFF/Exif block: IFD0 with Make and a
// GPSInfo pointer, and a GPS IFD with latitude and longitude.
func exifTIFF() []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	w16 := func(v uint16) { binary.Write(&b, le, v) }
	w32 := func(v uint32) { binary.Write(&b, le, v) }
	b.WriteString("II")
	w16(42)
	w32(8)
	// IFD0 at 8: 2 entries, 12 bytes each, then next-IFD offset.
	make_ := canaryCamera + "\x00"
	ifd0End := uint32(8 + 2 + 2*12 + 4)
	makeOff := ifd0End
	gpsOff := makeOff + uint32(len(make_))
	if gpsOff%2 == 1 {
		gpsOff++
	}
	w16(2)
	w16(0x010F) // Make
	w16(2)      // ASCII
	w32(uint32(len(make_)))
	w32(makeOff)
	w16(0x8825) // GPSInfo
	w16(4)      // LONG
	w32(1)
	w32(gpsOff)
	w32(0)
	b.WriteString(make_)
	for uint32(b.Len()) < gpsOff {
		b.WriteByte(0)
	}
	// GPS IFD: 4 entries, rationals after it.
	ratOff := gpsOff + 2 + 4*12 + 4
	w16(4)
	w16(1) // GPSLatitudeRef
	w16(2)
	w32(2)
	b.WriteString("N\x00\x00\x00")
	w16(2) // GPSLatitude
	w16(5) // RATIONAL
	w32(3)
	w32(ratOff)
	w16(3) // GPSLongitudeRef
	w16(2)
	w32(2)
	b.WriteString("E\x00\x00\x00")
	w16(4) // GPSLongitude
	w16(5)
	w32(3)
	w32(ratOff + 24)
	w32(0)
	for _, r := range gpsLat {
		w32(r[0])
		w32(r[1])
	}
	for _, r := range [3][2]uint32{{47, 1}, {46, 1}, {494, 10}} {
		w32(r[0])
		w32(r[1])
	}
	return b.Bytes()
}

const xmpPacket = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="30,30.6N" dc:creator="` + canaryXMP + `"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`

func smallImage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for y := range 16 {
		for x := range 16 {
			img.Set(x, y, color.RGBA{uint8(x * 16), uint8(y * 16), 128, 255})
		}
	}
	return img
}

func segment(marker byte, body []byte) []byte {
	n := len(body) + 2
	return append([]byte{0xFF, marker, byte(n >> 8), byte(n)}, body...)
}

// makeJPEG is a real JPEG with Exif (camera serial, GPS IFD), XMP, IPTC,
// a comment and data after the end-of-image marker.
func makeJPEG() []byte {
	var enc bytes.Buffer
	jpeg.Encode(&enc, smallImage(), &jpeg.Options{Quality: 90})
	img := enc.Bytes()
	var out []byte
	out = append(out, img[:2]...)
	out = append(out, segment(0xE0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"))...)
	out = append(out, segment(0xE1, append([]byte("Exif\x00\x00"), exifTIFF()...))...)
	out = append(out, segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00"+xmpPacket))...)
	out = append(out, segment(0xED, []byte("Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x10\x1c\x02\x50\x00\x0b"+canaryAuthor))...)
	out = append(out, segment(0xFE, []byte("comment: "+canaryAuthor))...)
	out = append(out, img[2:]...)
	return append(out, []byte("trailing "+canaryCamera)...)
}

func chunk(typ string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	return b.Bytes()
}

// makePNG is a real PNG with eXIf (GPS), tEXt, iTXt (XMP), zTXt and tIME.
func makePNG() []byte {
	var enc bytes.Buffer
	png.Encode(&enc, smallImage())
	b := enc.Bytes()
	ihdrEnd := 8 + 12 + 13
	var out []byte
	out = append(out, b[:ihdrEnd]...)
	out = append(out, chunk("eXIf", exifTIFF())...)
	out = append(out, chunk("tEXt", []byte("Author\x00"+canaryAuthor))...)
	out = append(out, chunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00"+xmpPacket))...)
	out = append(out, chunk("zTXt", []byte("Comment\x00\x00x\x9c\x03\x00\x00\x00\x00\x01"))...)
	out = append(out, chunk("tIME", []byte{0x07, 0xE8, 5, 6, 7, 8, 9})...)
	out = append(out, b[ihdrEnd:]...)
	return out
}

// makePDF is a small valid PDF with an information dictionary (author,
// producer, a title given by reference), an XMP stream and a JPEG image
// with Exif GPS, with a correct xref table.
func makePDF() []byte {
	jpg := makeJPEG()
	jpg = jpg[:bytes.LastIndex(jpg, []byte{0xFF, 0xD9})+2] // without the trailing text
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 7 0 R >>",
		fmt.Sprintf("<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream", len(xmpPacket)+1, xmpPacket),
		"<< /Author (" + canaryAuthor + " \\(field team\\)) /Producer <" + fmt.Sprintf("%X", canaryCamera) + "> /Title 6 0 R /CreationDate (D:20240105101010+03'00') >>",
		"(Report on " + canaryXMP + ")",
		"<< /Length 34 >>\nstream\nBT /F1 12 Tf 20 100 Td (Hi) Tj ET\nendstream",
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream", len(jpg), jpg),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

var fixtures = map[string]func() []byte{"gps.jpg": makeJPEG, "meta.png": makePNG, "meta.pdf": makePDF}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("fixture %s: %v (make it with go test ./internal/evidence -run TestFixtures -update)", name, err)
	}
	return b
}

func TestFixtures(t *testing.T) {
	if *update {
		os.MkdirAll("testdata", 0o755)
		for name, mk := range fixtures {
			if err := os.WriteFile(filepath.Join("testdata", name), mk(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The fixtures really carry what the stripping tests remove.
	j := fixture(t, "gps.jpg")
	if lat, ok := jpegGPS(j); !ok || lat != gpsLat {
		t.Errorf("gps.jpg: GPS latitude = %v, %v; want %v", lat, ok, gpsLat)
	}
	if _, err := jpeg.Decode(bytes.NewReader(j)); err != nil {
		t.Errorf("gps.jpg does not decode: %v", err)
	}
	p := fixture(t, "meta.png")
	if lat, ok := pngGPS(p); !ok || lat != gpsLat {
		t.Errorf("meta.png: eXIf GPS latitude = %v, %v; want %v", lat, ok, gpsLat)
	}
	if _, err := png.Decode(bytes.NewReader(p)); err != nil {
		t.Errorf("meta.png does not decode: %v", err)
	}
	d := fixture(t, "meta.pdf")
	if lat, ok := jpegGPS(pdfJPEG(d)); !ok || lat != gpsLat {
		t.Errorf("meta.pdf: the embedded JPEG's GPS latitude = %v, %v; want %v", lat, ok, gpsLat)
	}
	if !bytes.Contains(d, []byte(canaryAuthor)) || !bytes.Contains(d, []byte(canaryXMP)) || checkXref(d) != nil {
		t.Errorf("meta.pdf lacks its canaries or has a broken xref: %v", checkXref(d))
	}
}
