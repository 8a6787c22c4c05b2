package sqlite

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

func newKey() []byte {
	k := make([]byte, 32)
	rand.Read(k)
	return k
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Opened {
		path, key := filepath.Join(t.TempDir(), FileName), newKey()
		s, err := Open(context.Background(), path, key, storetest.AuditKey)
		if err != nil {
			t.Fatal(err)
		}
		reopen := func() (store.Store, error) {
			s, err := Open(context.Background(), path, key, storetest.AuditKey)
			if err != nil {
				return nil, err
			}
			return s, nil
		}
		// FTS5 keeps no text to print (contentless), only its vocabulary.
		return storetest.Opened{Store: s, SQL: s.SQL(), SearchDumps: []string{`SELECT term FROM search_vocab ORDER BY term`},
			Reopen: reopen}
	})
}

func TestWrongKey(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(ctx, path, newKey(), storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	inc := storetest.Incident()
	if err := s.CreateIncident(ctx, "t", &inc); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, _ := os.ReadFile(path)
	_, err = Open(ctx, path, newKey(), storetest.AuditKey)
	if !errors.Is(err, ErrWrongKey) {
		t.Fatalf("open with a wrong key: err = %v, want ErrWrongKey", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("opening with a wrong key modified the file")
	}
}

func TestNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	os.WriteFile(path, bytes.Repeat([]byte("plain text, not a database\n"), 400), 0o600)
	if _, err := Open(context.Background(), path, newKey(), storetest.AuditKey); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("err = %v, want ErrWrongKey", err)
	}
}

func TestReopen(t *testing.T) {
	ctx := context.Background()
	path, key := filepath.Join(t.TempDir(), FileName), newKey()
	s, err := Open(ctx, path, key, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	inc := storetest.Incident()
	if err := s.CreateIncident(ctx, "t", &inc); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path, key, storetest.AuditKey)
	if err != nil {
		t.Fatalf("reopen with the right key: %v", err)
	}
	defer s.Close()
	if got, err := s.GetIncident(ctx, inc.ID); err != nil || got.Code != inc.Code {
		t.Fatalf("after reopen: %v, %v", got, err)
	}
}

// TestMigrateVersionsAuditSeq: a database written before versions named
// their audit entries migrates with nothing lost, and verifies.
func TestMigrateVersionsAuditSeq(t *testing.T) {
	ctx := context.Background()
	path, key := filepath.Join(t.TempDir(), FileName), newKey()
	s, err := Open(ctx, path, key, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	n := storetest.MakeLegacy(t, ctx, storetest.Opened{Store: s, SQL: s.SQL()})
	s.Close()
	if s, err = Open(ctx, path, key, storetest.AuditKey); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.CheckMigrated(t, ctx, storetest.Opened{Store: s, SQL: s.SQL()}, n)
}
