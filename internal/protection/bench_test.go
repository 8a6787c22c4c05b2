package protection_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// BenchmarkBoard measures the board and the due check-ins (what 'rasd
// checkins due' computes) over 10,000 cases and 200,000 check-ins in an
// encrypted SQLite store, reporting the 95th percentile. The rows are
// inserted with SQL (their history and audit are not what is measured);
// neither read touches the check-ins table, which the cases' last
// check-in day spares them.
//
//	go test ./internal/protection/ -run '^$' -bench Board -benchtime 40x
func BenchmarkBoard(b *testing.B) {
	ctx := context.Background()
	key := make([]byte, 32)
	rand.Read(key)
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), sqlite.FileName), key, storetest.AuditKey)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	storetest.FastKDF(b)
	member, id := storetest.FirstMember(b, ctx, st, "rana", "rana password 1")
	defer id.Zero()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	seed(b, st.SQL(), now, 10_000, 20)
	svc := protection.New(st, func() time.Time { return now })
	for _, c := range []struct {
		name string
		run  func() (int, error)
	}{
		{"board", func() (int, error) { r, err := svc.Board(ctx, member); return len(r), err }},
		{"due", func() (int, error) { r, err := svc.Dues(ctx, member); return len(r), err }},
	} {
		b.Run(c.name, func(b *testing.B) {
			var took []time.Duration
			n := 0
			for b.Loop() {
				start := time.Now()
				var err error
				if n, err = c.run(); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
			}
			sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
			b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(n), "rows")
		})
	}
}

// seed inserts cases, each with perCase check-ins, in one transaction:
// risk levels and schedules vary, and about a tenth are overdue.
func seed(b *testing.B, db *sql.DB, now time.Time, cases, perCase int) {
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	day := func(ago int) string { return now.AddDate(0, 0, -ago).Format(time.DateOnly) }
	levels := []string{"low", "medium", "high", "critical"}
	for i := range cases {
		id := uuid.Must(uuid.NewV7()).String()
		every := 3 + i%12
		last := i % (every + 4)
		if i%10 == 0 {
			last = every + 5 // overdue
		}
		if _, err := tx.Exec(`INSERT INTO protection_cases (id, code, person, risk_level, status, opened_on, checkin_every,
			schedule_since, last_checkin, visibility, version, created_at, updated_at, created_by, updated_by)
			VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, 'restricted', 1, ?, ?, 'bench', 'bench')`,
			id, fmt.Sprintf("PC-B%06d", i), uuid.Must(uuid.NewV7()).String(), levels[i%4], day(400), every, day(400),
			day(last), now, now); err != nil {
			b.Fatal(err)
		}
		for j := range perCase {
			if _, err := tx.Exec(`INSERT INTO checkins (id, case_id, checked_on, result, visibility, version, created_at,
				updated_at, created_by, updated_by) VALUES (?, ?, ?, 'safe', 'restricted', 1, ?, ?, 'bench', 'bench')`,
				uuid.Must(uuid.NewV7()).String(), id, day(last+j*every), now, now); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
