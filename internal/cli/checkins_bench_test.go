package cli

import (
	"context"
	"io"
	"os"
	"os/exec"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/store/storetest"
)

// BenchmarkCheckinsDue measures 'rasd checkins due' whole, in process
// (open the data directory, find the member, read the due cases, print
// them), on the demo with RASD_BENCH_N more cases (default 2000; the
// target is stated for 10,000) of 20 check-ins each. The keyring's
// Argon2id is lowered for the benchmark: unlocking costs what the
// organisation chose (docs/keys.md) and is not what is measured. With
// RASD_BENCH_BIN set to a built rasd, each run is also made as a process
// (exec-p95-ms, and its CPU, exec-cpu-ms/op).
//
//	RASD_BENCH_N=10000 go test ./internal/cli -run '^$' -bench CheckinsDue -benchtime 20x
func BenchmarkCheckinsDue(b *testing.B) {
	n := storetest.Env().N
	storetest.FastKDF(b)
	dir := b.TempDir() + "/demo"
	b.Setenv("RASD_PASSPHRASE", "a test passphrase")
	ctx := context.Background()
	quiet := IO{Stdin: os.Stdin, Stdout: io.Discard, Stderr: io.Discard}
	if code := Main(ctx, quiet, []string{"demo", "--data", dir, "--incidents", "60", "--no-serve"}); code != 0 {
		b.Fatalf("demo: exit %d", code)
	}
	st := openSQL(b, dir)
	storetest.SeedCases(b, st.SQL(), time.Now(), n, 20)
	st.Close()
	args := []string{"checkins", "due", "--data", dir, "--member", "protection"}
	var times []time.Duration
	var ru0, ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	for b.Loop() {
		t0 := time.Now()
		if code := Main(ctx, quiet, args); code != 3 {
			b.Fatalf("checkins due: exit %d, want 3", code)
		}
		times = append(times, time.Since(t0))
	}
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	cpu := time.Duration(ru1.Utime.Nano() + ru1.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano())
	b.ReportMetric(p95(times), "p95-ms")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(times)), "cpu-ms/op")
	if bin := os.Getenv("RASD_BENCH_BIN"); bin != "" {
		var runs []time.Duration
		var cpu time.Duration
		for range len(times) {
			cmd := exec.Command(bin, args...)
			t0 := time.Now()
			if err := cmd.Run(); cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 3 {
				b.Fatalf("%s: %v", bin, err)
			}
			runs = append(runs, time.Since(t0))
			cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		}
		b.ReportMetric(p95(runs), "exec-p95-ms")
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(runs)), "exec-cpu-ms/op")
	}
}

func p95(ts []time.Duration) float64 {
	s := slices.Clone(ts)
	slices.Sort(s)
	return float64(s[max((95*len(s)+99)/100-1, 0)]) / float64(time.Millisecond)
}
