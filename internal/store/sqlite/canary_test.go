package sqlite

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/textnorm"
)

// TestCanary plants names in an incident and a person and checks that none
// of them, in any form the store might keep (as typed, normalised for
// search, lower-cased), appears in the raw bytes of the database, its WAL
// or journal, or any temporary file, while open and after closing.
func TestCanary(t *testing.T) {
	ctx := context.Background()
	dataDir, tmpDir := t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", tmpDir)
	t.Setenv("SQLITE_TMPDIR", tmpDir)
	canaries := []string{"قمرالزمان الفريدة", "Xylocanary Quetzalwood", "Zorbatronic"}
	needles := canaryNeedles(canaries...)
	s, err := Open(ctx, filepath.Join(dataDir, FileName), newKey(), storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	inc := storetest.Incident()
	inc.SummaryAR = "تهديد " + canaries[0]
	inc.NarrativeEN = "Threat to " + canaries[1]
	inc.Victims[0].Person.NameAR = canaries[0]
	inc.Victims[0].Person.NameLatin = canaries[1]
	if err := s.CreateIncident(ctx, "t", &inc); err != nil {
		t.Fatal(err)
	}
	p := model.Person{NameLatin: canaries[2], Aliases: []string{canaries[0]}}
	if err := s.Persons().Create(ctx, "t", &p); err != nil {
		t.Fatal(err)
	}
	// A search and an update exercise the index and the journal.
	if hits, err := s.SearchIncidents(ctx, canaries[1], 5); err != nil || len(hits) != 1 {
		t.Fatalf("search for the canary: %v, %v", hits, err)
	}
	inc.SummaryEN = "updated " + canaries[2]
	if err := s.UpdateIncident(ctx, "t", &inc); err != nil {
		t.Fatal(err)
	}
	scan := func(when string) {
		n := 0
		for _, dir := range []string{dataDir, tmpDir} {
			filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				n++
				if needle := findNeedle(b, needles); needle != nil {
					t.Errorf("%s: %q found in plain bytes of %s", when, needle, path)
				}
				return nil
			})
		}
		if n == 0 {
			t.Fatalf("%s: no file to scan", when)
		}
	}
	if _, err := os.Stat(filepath.Join(dataDir, FileName+"-wal")); err != nil {
		t.Errorf("expected a WAL file while open: %v", err)
	}
	scan("while open")
	s.Close()
	scan("after close")
}

// canaryNeedles is every form the store might keep the canaries in: as
// typed, normalised for search, lower-cased, and each search term.
func canaryNeedles(canaries ...string) [][]byte {
	var needles [][]byte
	for _, c := range canaries {
		needles = append(needles, []byte(c), []byte(textnorm.Normalize(c)), bytes.ToLower([]byte(c)))
		for _, term := range textnorm.Terms(c) {
			needles = append(needles, []byte(term))
		}
	}
	return needles
}

// findNeedle returns the first of needles found in b, ignoring case.
func findNeedle(b []byte, needles [][]byte) []byte {
	b = bytes.ToLower(b)
	for _, needle := range needles {
		if bytes.Contains(b, bytes.ToLower(needle)) {
			return needle
		}
	}
	return nil
}
