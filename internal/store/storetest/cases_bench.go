package storetest

import (
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
)

// SeedCases inserts cases protection cases, each with perCase check-ins,
// in one transaction of plain SQL (their history and audit are not what
// the board benchmarks measure): risk levels and schedules vary, and
// about a tenth are overdue as of now. Each case's due_on is what the
// store would keep (kinds.CaseDueOn).
func SeedCases(tb testing.TB, db *sql.DB, now time.Time, cases, perCase int) {
	tb.Helper()
	tx, err := db.Begin()
	if err != nil {
		tb.Fatal(err)
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
		c := model.ProtectionCase{Status: "open", OpenedOn: day(400), CheckInEvery: every, ScheduleSince: day(400), LastCheckIn: day(last)}
		if _, err := tx.Exec(`INSERT INTO protection_cases (id, code, person, risk_level, status, opened_on, checkin_every,
			schedule_since, last_checkin, due_on, visibility, version, created_at, updated_at, created_by, updated_by)
			VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, 'restricted', 1, ?, ?, 'bench', 'bench')`,
			id, fmt.Sprintf("PC-B%06d", i), uuid.Must(uuid.NewV7()).String(), levels[i%4], c.OpenedOn, every, c.ScheduleSince,
			c.LastCheckIn, kinds.CaseDueOn(&c), now, now); err != nil {
			tb.Fatal(err)
		}
		for j := range perCase {
			if _, err := tx.Exec(`INSERT INTO checkins (id, case_id, checked_on, result, visibility, version, created_at,
				updated_at, created_by, updated_by) VALUES (?, ?, ?, 'safe', 'restricted', 1, ?, ?, 'bench', 'bench')`,
				uuid.Must(uuid.NewV7()).String(), id, day(last+j*every), now, now); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}
