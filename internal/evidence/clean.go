package evidence

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultGrace is how old a temporary or unreferenced file must be before
// Clean removes it: an upload in progress (in this process or another
// rasd on the same data directory) keeps its temporary file fresh.
const DefaultGrace = 10 * time.Minute

// Clean removes what an interrupted intake left: temporary files, and
// stored files without a metadata row (the crash came between the rename
// and the commit). Both are ciphertext, so nothing readable was exposed;
// removing them keeps the folder equal to the store. It returns how many
// files it removed.
func (s *Service) Clean(ctx context.Context, grace time.Duration) (int, error) {
	all, err := s.st.ListEvidence(ctx, "", "")
	if err != nil {
		return 0, err
	}
	known := make(map[string]bool, len(all))
	for _, e := range all {
		known[e.Blob] = true
	}
	cutoff := time.Now().Add(-grace)
	removed := 0
	err = filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(s.dir, path)
		dir, name := filepath.Split(rel)
		blob := strings.TrimSuffix(dir, string(filepath.Separator)) + name
		if !strings.HasPrefix(name, tempPrefix) && known[blob] {
			return nil
		}
		info, err := d.Info()
		if err != nil || info.ModTime().After(cutoff) {
			return nil
		}
		if err := os.Remove(path); err != nil {
			return err
		}
		removed++
		return nil
	})
	return removed, err
}
