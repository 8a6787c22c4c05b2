package sqlite

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ncruces/go-sqlite3"

	"github.com/rasd-project/rasd/internal/store/storetest"
)

// BenchmarkRawInsert is the driver's ceiling: RASD_BENCH_N rows of about
// 1 KB (an incident's size without its victims) into one table without
// indexes, in one transaction, through the driver's own API (no
// database/sql, nothing made per row in Go but a short string). Through
// the WAL and through a rollback journal, plain and encrypted; see
// BENCHMARKS.md and bulk.go.
//
//	RASD_BENCH_N=200000 go test ./internal/store/sqlite -run '^$' -bench RawInsert -benchtime 1x
func BenchmarkRawInsert(b *testing.B) {
	env := storetest.Env()
	text := strings.Repeat("protesters gathered near the police station ", 20) // 880 bytes
	for _, journal := range []string{"wal", "delete"} {
		for _, encrypted := range []bool{false, true} {
			b.Run(fmt.Sprintf("journal=%s/encrypted=%v", journal, encrypted), func(b *testing.B) {
				path := benchPath(b, env, "raw.db")
				defer removeDB(path)
				uri := "file:" + path
				if encrypted {
					uri += "?vfs=adiantum"
				}
				c, err := sqlite3.Open(uri)
				if err != nil {
					b.Fatal(err)
				}
				defer c.Close()
				if encrypted {
					if err := c.Exec(`PRAGMA hexkey='` + hex.EncodeToString(benchKey) + `'`); err != nil {
						b.Fatal(err)
					}
				}
				if err := c.Exec(`PRAGMA journal_mode=` + journal + `; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536;
					CREATE TABLE t (rid INTEGER PRIMARY KEY, a TEXT, b INTEGER, c TEXT, d INTEGER, e TEXT, f INTEGER, g TEXT, h TEXT)`); err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				for range b.N {
					if err := rawRows(c, env.N, text); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(env.N*b.N)/time.Since(start).Seconds(), "rows/s")
				b.ReportMetric(float64(fileSize(path)())/1e6, "MB-db")
			})
		}
	}
}

func rawRows(c *sqlite3.Conn, n int, text string) error {
	if err := c.Exec(`BEGIN IMMEDIATE`); err != nil {
		return err
	}
	st, _, err := c.Prepare(`INSERT INTO t (a, b, c, d, e, f, g, h) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	for i := range n {
		code := "IQ-2024-" + strconv.Itoa(i)
		st.BindText(1, code)
		st.BindInt64(2, int64(i))
		st.BindText(3, "IQ-BG")
		st.BindInt64(4, int64(i%7))
		st.BindText(5, "2024-03-01")
		st.BindInt64(6, 1)
		st.BindText(7, text)
		st.BindText(8, code)
		if err := st.Exec(); err != nil {
			return err
		}
	}
	return c.Exec(`COMMIT`)
}
