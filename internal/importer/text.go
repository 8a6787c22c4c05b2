package importer

import (
	"bytes"
	"errors"
)

// notUTF8Text says whether head is UTF-16 or binary: a spreadsheet saving
// "Unicode text" writes UTF-16, which a CSV reader would otherwise misread
// as one odd column name ("missing required columns"), and a wrong file
// picked is binary.
func notUTF8Text(head []byte) error {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return errors.New("is UTF-16 text (\"Unicode text\"), not UTF-8; save the file as UTF-8 (in a spreadsheet: CSV UTF-8)")
	case bytes.IndexByte(head, 0) >= 0:
		return errors.New("is not text (it holds NUL bytes: UTF-16 without a byte-order mark, or a binary file such as a spreadsheet); save the file as UTF-8")
	}
	return nil
}
