package api

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	defaultLimit = 50
	maxLimit     = 200
)

func limit(v url.Values) (int, error) {
	s := v.Get("limit")
	if s == "" {
		return defaultLimit, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxLimit {
		return 0, bad("limit", "is a whole number from 1 to "+strconv.Itoa(maxLimit))
	}
	return n, nil
}

// A cursor is where the next page starts, bound to the filters it was
// made for: given with other filters, it is refused rather than read as
// a position in another list. It is opaque to clients (docs/api.md).
func makeCursor(offset int, v url.Values) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(offset) + "." + filterDigest(v)))
}

func readCursor(c string, v url.Values) (int, error) {
	if c == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	off, digest, ok := strings.Cut(string(b), ".")
	n, nerr := strconv.Atoi(off)
	if err != nil || !ok || nerr != nil || n < 0 {
		return 0, bad("cursor", "is not a cursor this API gave")
	}
	if digest != filterDigest(v) {
		return 0, bad("cursor", "was given for other filters: start again without it")
	}
	return n, nil
}

// filterDigest sums the parameters that choose the list (not the
// cursor, nor the page's size).
func filterDigest(v url.Values) string {
	w := url.Values{}
	for k, vals := range v {
		if k != "cursor" && k != "limit" {
			w[k] = vals
		}
	}
	sum := sha256.Sum256([]byte(w.Encode()))
	return hex.EncodeToString(sum[:8])
}

// dateWindow reads "2019", "2019-10" or "2019-10-05" as the first and
// last day it names, as the web's list filters do.
func dateWindow(param, s string) (first, last string, err error) {
	s = strings.TrimSpace(s)
	layout := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}[len(s)]
	t, perr := time.Parse(layout, s)
	if layout == "" || perr != nil || t.Year() < 1000 {
		return "", "", bad(param, "is a year, a month or a day: 2019, 2019-10 or 2019-10-05")
	}
	end := t
	switch len(s) {
	case 4:
		end = t.AddDate(1, 0, -1)
	case 7:
		end = t.AddDate(0, 1, -1)
	}
	return t.Format(time.DateOnly), end.Format(time.DateOnly), nil
}
