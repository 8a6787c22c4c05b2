package locale

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Languages are this package's business alone: no other Go file of the
// module compares a language code with "ar" (tests included), nor, outside
// tests, with any code of the table (where a test compares a value it got
// with the one it wants, that is no language check).
func TestNoLanguageChecksElsewhere(t *testing.T) {
	root := filepath.Join("..", "..")
	arabic := regexp.MustCompile(`[!=]= *"ar"|"ar" *[!=]=|\bcase "ar"`)
	codes := regexp.MustCompile(`[!=]= *"(ar|en|ckb)"|"(ar|en|ckb)" *[!=]=|\bcase "(ar|en|ckb)"`)
	self, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			abs, _ := filepath.Abs(path)
			if abs == self || path != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		check := codes
		if strings.HasSuffix(path, "_test.go") {
			check = arabic
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if check.MatchString(line) {
				found = append(found, path+":"+strconv.Itoa(i+1)+": "+strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) > 0 {
		t.Errorf("%d language checks outside internal/locale (ask the locale package instead):\n%s", len(found), strings.Join(found, "\n"))
	}
}
