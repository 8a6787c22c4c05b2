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
			VALUES (?, ?, '', ?, 'open', ?, ?, ?, ?, ?, 'restricted', 1, ?, ?, 'bench', 'bench')`,
			id, fmt.Sprintf("PC-B%06d", i), levels[i%4], c.OpenedOn, every, c.ScheduleSince,
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

// SealSeededCases gives every case SeedCases stored a sealed group naming
// a person of its own, sealed with key, as a member's write seals it (the
// person is a sealed field: docs/protection.md): what a member's lookup
// of a person's cases opens. It returns the persons, in the cases' order.
func SealSeededCases(tb testing.TB, db *sql.DB, key model.RecordKey) []string {
	tb.Helper()
	rows, err := db.Query(`SELECT id FROM protection_cases ORDER BY rid`)
	if err != nil {
		tb.Fatal(err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	tx, err := db.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	persons := make([]string, len(ids))
	for i, id := range ids {
		persons[i] = uuid.Must(uuid.NewV7()).String()
		s, err := key.SealRecord(kinds.ProtectionCase.Name, id, map[string]string{"person": persons[i]})
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO sealed_fields (kind, record_id, field_group, compartment, key_version, wrapped_key, box,
			updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'bench')`, s.Kind, s.RecordID, s.Group, s.Compartment,
			s.KeyVersion, s.WrappedKey, s.Box, time.Now().UTC()); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	return persons
}
