package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rasd-project/rasd/internal/importer"
	"github.com/rasd-project/rasd/internal/model"
)

// The generated file is what bench/acled.sh imports: it must have exactly
// the rows asked for, and rasd's ACLED import must take every one.
func TestWriteImportable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "acled.csv")
	if err := write(path, 300, 1); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var incs []*model.Incident
	if err := importer.EachACLED(f, path, func(inc *model.Incident) error {
		incs = append(incs, inc)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(incs) != 300 {
		t.Fatalf("%d incidents parsed, want 300", len(incs))
	}
	long := 0
	for _, inc := range incs {
		if len(inc.NarrativeEN) > 150 {
			long++
		}
	}
	if long < 60 { // about a third of the demo's incidents have a narrative
		t.Errorf("only %d of 300 rows have notes of ACLED's usual length", long)
	}
}
