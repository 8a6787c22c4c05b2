package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/evidence"
)

// FuzzReadUpload: any body a client sends to the upload route is parsed
// without panicking; no file part is handed on unless the token came
// first and matched; names handed on are valid, short and path-free.
func FuzzReadUpload(f *testing.F) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.SetBoundary("fuzzboundary")
	mw.WriteField("csrf", "good")
	w, _ := mw.CreateFormFile("file", "../../etc/passwd")
	w.Write([]byte("\xFF\xD8\xFF\xE0 not really a jpeg"))
	mw.Close()
	f.Add(b.Bytes())
	f.Add([]byte("--fuzzboundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nx\r\n--fuzzboundary--\r\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		mr := multipart.NewReader(bytes.NewReader(body), "fuzzboundary")
		checked, good := false, false
		err := readUpload(mr, func(tok string) bool { checked, good = true, tok == "good"; return good }, func(name string, r io.Reader) error {
			if !checked || !good {
				t.Fatal("a file was handed on before a good token")
			}
			if strings.ContainsAny(name, "/\\") || !utf8.ValidString(name) || len(name) > 200 {
				t.Fatalf("unsafe name %q", name)
			}
			head := make([]byte, evidence.SniffLen)
			n, _ := io.ReadFull(r, head)
			evidence.Detect(head[:n])
			if _, err := io.Copy(io.Discard, r); err != nil {
				return fmt.Errorf("%w: %w", evidence.ErrUpload, err) // as evidence.Add reports it
			}
			return nil
		})
		var he *httpError
		if err != nil && !errors.As(err, &he) {
			t.Fatalf("readUpload returned %v, not an answer for the browser", err)
		}
	})
}
