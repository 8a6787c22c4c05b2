package keyring

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Share is one of the n pieces of a recovery key.
type Share struct {
	KeyID     string // which recovery key (16 hex digits)
	Threshold int    // m: shares needed
	Total     int    // n: shares made
	Index     int    // 1..n
	Value     [32]byte
}

// sharePrefix starts a share's one-line text form:
//
//	rasdshare1-KEYID-MofN-I-VALUE-CHECK
//
// VALUE is 64 hex digits and CHECK the first 4 bytes of SHA-256 over
// everything before it, in hex: a mistyped or damaged share is refused by
// itself, naming its index, before any combining. Hex and dashes survive
// paper, e-mail and terminals; spaces inside the line are ignored.
const sharePrefix = "rasdshare1-"

func (s Share) body() string {
	return fmt.Sprintf("%s%s-%dof%d-%d-%s", sharePrefix, s.KeyID, s.Threshold, s.Total, s.Index, hex.EncodeToString(s.Value[:]))
}

func checksum(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:4])
}

// String is the share's text form (one line).
func (s Share) String() string { b := s.body(); return b + "-" + checksum(b) }

// Text is the share as a file or printed block: what it is, what to do
// with it, and the share line.
func (s Share) Text() string {
	return fmt.Sprintf("rasd organisation recovery share %d of %d (recovery key %s)\n"+
		"Any %d of the %d shares together unlock this organisation's rasd data when every passphrase is lost\n"+
		"(rasd keys recover). Fewer reveal nothing. Keep this share safe and apart from the others: one person, one share.\n\n"+
		"%s\n", s.Index, s.Total, s.KeyID, s.Threshold, s.Total, s.String())
}

// ParseShares finds every share line in text (a share file, or several
// pasted together) and checks each one's checksum.
func ParseShares(text string) ([]Share, error) {
	var out []Share
	for _, line := range strings.Split(text, "\n") {
		line = strings.ToLower(strings.Join(strings.Fields(line), ""))
		i := strings.Index(line, sharePrefix)
		if i < 0 {
			continue
		}
		s, err := ParseShare(line[i:])
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, errors.New("no recovery share found (a share is a line starting " + sharePrefix + ")")
	}
	return out, nil
}

// ParseShare reads one share line.
func ParseShare(line string) (Share, error) {
	var s Share
	line = strings.ToLower(strings.Join(strings.Fields(line), ""))
	bad := func(why string) (Share, error) {
		return Share{}, fmt.Errorf("recovery share %.30s… is damaged: %s. Check it against the original (paper or file)", line, why)
	}
	if !strings.HasPrefix(line, sharePrefix) {
		return bad("it does not start with " + sharePrefix)
	}
	f := strings.Split(strings.TrimPrefix(line, sharePrefix), "-")
	if len(f) != 5 {
		return bad("it should have 6 parts separated by '-'")
	}
	body := line[:len(line)-len(f[4])-1]
	if checksum(body) != f[4] {
		idx := f[2]
		return Share{}, fmt.Errorf("recovery share %s of key %s is damaged: its checksum does not match (a character was changed or mistyped). Check it against the original", idx, f[0])
	}
	if len(f[0]) != 16 {
		return bad("its key id is not 16 hex digits")
	}
	if _, err := hex.Decode(make([]byte, 8), []byte(f[0])); err != nil {
		return bad("its key id is not hex")
	}
	s.KeyID = f[0]
	mn := strings.Split(f[1], "of")
	var err1, err2, err3 error
	if len(mn) == 2 {
		s.Threshold, err1 = strconv.Atoi(mn[0])
		s.Total, err2 = strconv.Atoi(mn[1])
	}
	s.Index, err3 = strconv.Atoi(f[2])
	if len(mn) != 2 || errors.Join(err1, err2, err3) != nil ||
		s.Total < 1 || s.Total > MaxShares || s.Threshold < 1 || s.Threshold > s.Total || s.Index < 1 || s.Index > s.Total {
		return bad("its share numbers are out of range")
	}
	v, err := hex.DecodeString(f[3])
	if err != nil || len(v) != 32 {
		return bad("its value is not 64 hex digits")
	}
	copy(s.Value[:], v)
	if s.String() != line {
		return bad("it is not in canonical form")
	}
	return s, nil
}
