package evidence

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"regexp"
	"strconv"
)

// ErrCannotClean means no working copy can be offered: the metadata
// could not be found or removed with certainty.
var ErrCannotClean = errors.New("this file's metadata cannot be removed with certainty, so no working copy is offered: share the original only with people who may see everything in it")

var errPDF = errors.New("not a well-formed PDF: no working copy can be made")

// StripPDF returns a copy of a PDF of the same length in which the
// document information dictionary (/Info: title, author, subject,
// keywords, creator, producer, dates) has every string value overwritten
// with blanks, and every XMP metadata stream (/Type /Metadata, on the
// document or on any page or image) has its content overwritten with
// spaces. Overwriting in place keeps every byte offset, so the xref
// tables stay valid without rewriting the file; an incremental update's
// older copies of these objects are blanked too, since they remain in
// the file. It refuses (ErrCannotClean) encrypted PDFs and PDFs whose
// information dictionary is inside a compressed object stream, where a
// byte-level blanking cannot reach it.
func StripPDF(in []byte) ([]byte, error) {
	if !bytes.HasPrefix(in, []byte("%PDF-")) {
		return nil, errPDF
	}
	if reEncrypt.Match(in) {
		return nil, ErrCannotClean
	}
	if err := checkObjectStreams(in); err != nil {
		return nil, err
	}
	out := bytes.Clone(in)
	seen := map[string]bool{}
	var refs [][]byte
	for _, m := range reInfo.FindAllSubmatch(in, -1) {
		refs = append(refs, m[1])
	}
	for len(refs) > 0 {
		ref := string(refs[0])
		refs = refs[1:]
		if seen[ref] {
			continue
		}
		if len(seen) >= 64 {
			return nil, ErrCannotClean // not an information dictionary any reader would write
		}
		seen[ref] = true
		objs := objectStarts(in, ref)
		if len(objs) == 0 {
			return nil, ErrCannotClean // the object is compressed, or missing
		}
		for _, start := range objs {
			end := bytes.Index(in[start:], []byte("endobj"))
			if end < 0 {
				return nil, errPDF
			}
			body := in[start : start+end]
			blankStrings(out[start:start+end], body)
			// Values given by reference (/Author 12 0 R) are blanked too.
			for _, r := range reRef.FindAllSubmatch(body, -1) {
				refs = append(refs, []byte(string(r[1])+" "+string(r[2])))
			}
		}
	}
	blankMetadataStreams(out, in)
	blankEmbeddedJPEGs(out, in)
	return out, nil
}

var (
	reEncrypt = regexp.MustCompile(`/Encrypt\s*\d+\s+\d+\s+R|/Encrypt\s*<<`)
	reInfo    = regexp.MustCompile(`/Info\s*(\d+\s+\d+)\s+R`)
	reRef     = regexp.MustCompile(`(\d+)\s+(\d+)\s+R`)
	reObjStm  = regexp.MustCompile(`/Type\s*/ObjStm`)
	reMeta    = regexp.MustCompile(`/Type\s*/Metadata|/Subtype\s*/XML`)
	reInfoKey = regexp.MustCompile(`/(Author|Producer|Creator|CreationDate|ModDate|Keywords)\b`)
	reStream  = regexp.MustCompile(`stream\r?\n`)
	reLength  = regexp.MustCompile(`/Length\s+(\d+)(\s+\d+\s+R)?`)
	reDCT     = regexp.MustCompile(`/Filter\s*(/DCTDecode|\[\s*/DCTDecode\s*\])`)
)

// objectStarts finds "N G obj" for ref "N G" at the start of a line or
// after a delimiter, and returns the offsets just after "obj".
func objectStarts(in []byte, ref string) []int {
	num, gen, _ := bytes.Cut([]byte(ref), []byte(" "))
	re := regexp.MustCompile(`(?:^|[^0-9])` + string(num) + `\s+` + string(gen) + `\s+obj`)
	var out []int
	for _, m := range re.FindAllIndex(in, -1) {
		out = append(out, m[1])
	}
	return out
}

// checkObjectStreams refuses a PDF whose compressed object streams hold
// information-dictionary keys, or that we cannot decompress to check.
func checkObjectStreams(in []byte) error {
	for _, loc := range reObjStm.FindAllIndex(in, -1) {
		rest := in[loc[1]:]
		s := reStream.FindIndex(rest)
		if s == nil {
			return ErrCannotClean
		}
		dict := in[max(0, loc[0]-512) : loc[1]+s[0]]
		if !bytes.Contains(dict, []byte("/FlateDecode")) {
			return ErrCannotClean
		}
		data := rest[s[1]:]
		if e := bytes.Index(data, []byte("endstream")); e >= 0 {
			data = data[:e]
		}
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			return ErrCannotClean
		}
		plain, err := io.ReadAll(io.LimitReader(zr, 64<<20))
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return ErrCannotClean
		}
		if reInfoKey.Match(plain) || reMeta.Match(plain) {
			return ErrCannotClean
		}
	}
	return nil
}

// blankStrings overwrites the inside of every literal (…) and hex <…>
// string of src, at the same offsets in dst, with spaces.
func blankStrings(dst, src []byte) {
	for i := 0; i < len(src); i++ {
		switch {
		case src[i] == '%': // comment to end of line
			for i < len(src) && src[i] != '\n' && src[i] != '\r' {
				i++
			}
		case src[i] == '(':
			depth, j := 1, i+1
			for j < len(src) {
				c := src[j]
				if c == '\\' {
					dst[j] = ' '
					if j+1 < len(src) {
						dst[j+1] = ' '
					}
					j += 2
					continue
				}
				if c == '(' {
					depth++
				} else if c == ')' {
					if depth--; depth == 0 {
						break
					}
				}
				dst[j] = ' '
				j++
			}
			i = j
		case src[i] == '<' && i+1 < len(src) && src[i+1] != '<':
			for i++; i < len(src) && src[i] != '>'; i++ {
				dst[i] = ' '
			}
		case src[i] == '<': // "<<" opens a dictionary
			i++
		}
	}
}

// blankMetadataStreams overwrites with spaces the data of every stream
// whose dictionary says it is XMP metadata.
func blankMetadataStreams(dst, src []byte) {
	for _, loc := range reStream.FindAllIndex(src, -1) {
		if loc[0] >= 3 && string(src[loc[0]-3:loc[0]]) == "end" {
			continue // "endstream\n" is not a stream's start
		}
		objAt := bytes.LastIndex(src[:loc[0]], []byte("obj"))
		if objAt < 0 || !reMeta.Match(src[objAt:loc[0]]) {
			continue
		}
		data := src[loc[1]:]
		n := bytes.Index(data, []byte("endstream"))
		if m := reLength.FindSubmatch(src[objAt:loc[0]]); m != nil && m[2] == nil {
			if l, err := strconv.Atoi(string(m[1])); err == nil && l >= 0 && l <= len(data) && (n < 0 || l < n) {
				n = max(n, l)
			}
		}
		if n < 0 {
			n = len(data)
		}
		for i := loc[1]; i < loc[1]+n; i++ {
			dst[i] = ' '
		}
	}
}

// blankEmbeddedJPEGs zeroes, in place, the metadata segments (Exif with
// GPS, XMP, IPTC, comments: what StripJPEG drops) of every JPEG image in
// the PDF (streams whose only filter is /DCTDecode): a phone's scan or
// photo put into a PDF keeps its Exif. The segments stay, with their
// lengths, as empty application segments that decoders skip, so no
// offset moves.
func blankEmbeddedJPEGs(dst, src []byte) {
	for _, loc := range reStream.FindAllIndex(src, -1) {
		if loc[0] >= 3 && string(src[loc[0]-3:loc[0]]) == "end" {
			continue
		}
		objAt := bytes.LastIndex(src[:loc[0]], []byte("obj"))
		if objAt < 0 || !reDCT.Match(src[objAt:loc[0]]) {
			continue
		}
		data := src[loc[1]:]
		if n := bytes.Index(data, []byte("endstream")); n >= 0 {
			data = data[:n]
		}
		if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
			continue
		}
		for i := 2; i+4 <= len(data) && data[i] == 0xFF; {
			m, n := data[i+1], int(data[i+2])<<8|int(data[i+3])
			if m == 0xDA || m == 0xD9 || n < 2 || i+2+n > len(data) {
				break
			}
			if !keepSegment(m, data[i+4:i+2+n]) {
				at := loc[1] + i
				dst[at+1] = 0xEF // an APP15 segment: skipped by every decoder
				for j := at + 4; j < at+2+n; j++ {
					dst[j] = 0
				}
			}
			i += 2 + n
		}
	}
}
