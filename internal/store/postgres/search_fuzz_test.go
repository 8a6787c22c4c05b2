package postgres

import (
	"context"
	"testing"

	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

func FuzzSearch(f *testing.F) {
	storetest.FuzzSearch(f, func(t testing.TB) store.Store {
		s, err := Open(context.Background(), freshSchema(t), storetest.AuditKey)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
