#!/usr/bin/env bash
# bench/store.sh: the store benchmarks of BENCHMARKS.md at full size.
#
#   bench/store.sh                 # 100,000 and 1,000,000 incidents
#   bench/store.sh 20000           # other sizes
#
# Each case runs in its own process under /usr/bin/time -v, so its peak RSS
# is its own. Environment:
#   RASD_BENCH_DIR    where databases are built (default /var/tmp/rasd-bench)
#   RASD_BENCH_BATCH  incidents per ImportIncidents call (default 50000; 0 = all in one)
#   RASD_BENCH_QUERIES  timed searches per query (default 500)
#   RASD_TEST_PG      PostgreSQL URL (default postgres://postgres@127.0.0.1:5432/test?sslmode=disable)
#   CASES             SQLite import cases (default: encrypted encrypted-wal plain-schema bare-table bare-table-encrypted)
#   SKIP_PG=1         SQLite only
#   SKIP_SQLITE=1     PostgreSQL only
#   KEEP=1            keep the databases and PostgreSQL schemas afterwards
set -euo pipefail
# The Go every command of this project uses (README, go.mod).
export GOTOOLCHAIN=go1.27.3
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
export RASD_BENCH_DIR=${RASD_BENCH_DIR:-/var/tmp/rasd-bench}
export RASD_BENCH_BATCH=${RASD_BENCH_BATCH:-50000}
queries=${RASD_BENCH_QUERIES:-500}
out=$RASD_BENCH_DIR/results-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"

. bench/machine.sh
need_gnu_time
{
	machine_info "sizes:   ${sizes[*]}; batch ${RASD_BENCH_BATCH}; ${queries} searches per query"
	[ -n "${SKIP_PG:-}" ] || echo "pg:      $(psql "${RASD_TEST_PG:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}" -Atc 'show server_version' 2>/dev/null || echo '?')"
} | tee "$out/machine.txt"

[ -n "${SKIP_SQLITE:-}" ] || go test -c -o "$out/sqlite.test" ./internal/store/sqlite
[ -n "${SKIP_PG:-}" ] || go test -c -o "$out/postgres.test" ./internal/store/postgres

# run NAME BINARY BENCH BENCHTIME N: one benchmark process, its output in
# $out/NAME.txt and its /usr/bin/time -v report in $out/NAME.time.
runs=()
run() {
	local name=$1 bin=$2 bench=$3 benchtime=$4 n=$5
	runs+=("$name")
	echo "== $name" >&2
	RASD_BENCH_N=$n /usr/bin/time -v -o "$out/$name.time" "$bin" -test.run '^$' -test.bench "$bench" \
		-test.benchtime "$benchtime" -test.timeout 0 | tee "$out/$name.txt" | grep -E '^(Benchmark|FAIL|---)' >&2
}

for n in "${sizes[@]}"; do
	if [ -z "${SKIP_SQLITE:-}" ]; then
		for c in ${CASES:-encrypted encrypted-wal plain-schema bare-table bare-table-encrypted}; do
			run "sqlite-import-$c-$n" "$out/sqlite.test" "^BenchmarkImport\$/^$c\$" 1x "$n"
		done
		run "sqlite-search-$n" "$out/sqlite.test" '^BenchmarkSearch$' "${queries}x" "$n"
	fi
	if [ -z "${SKIP_PG:-}" ]; then
		run "postgres-import-$n" "$out/postgres.test" '^BenchmarkImport$' 1x "$n"
		run "postgres-search-$n" "$out/postgres.test" '^BenchmarkSearch$' "${queries}x" "$n"
	fi
done
load_line end | tee -a "$out/machine.txt"

# The summary: one line per benchmark, with the process's peak RSS.
{
	echo
	echo "| benchmark | N | rows/s | CPU s per 1k rows | DB MB | p50 ms | p95 ms | hits | peak RSS MB |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	for name in "${runs[@]}"; do
		f=$out/$name.txt
		n=${name##*-}
		rss=$(awk -F: '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$out/$name.time")
		awk -v n="$n" -v rss="$rss" -v file="${name%-*}" '
			/^Benchmark/ {
				b = $1; sub(/-[0-9]+$/, "", b); sub(/^Benchmark/, "", b)
				delete m
				for (i = 3; i < NF; i += 2) m[$(i+1)] = $i
				printf "| %s %s | %d | %s | %s | %s | %s | %s | %s | %s |\n", file ~ /^postgres/ ? "postgres" : "sqlite", b, n,
					m["rows/s"] == "" ? "" : sprintf("%.0f", m["rows/s"]),
					m["cpu-s/1k-rows"] == "" ? "" : sprintf("%.3f", m["cpu-s/1k-rows"]),
					m["MB-db"] == "" ? "" : sprintf("%.0f", m["MB-db"]),
					m["p50-ms"] == "" ? "" : sprintf("%.2f", m["p50-ms"]),
					m["p95-ms"] == "" ? "" : sprintf("%.2f", m["p95-ms"]),
					m["hits"] == "" ? "" : sprintf("%d", m["hits"]), rss
			}' "$f"
	done
} | tee "$out/summary.md"
echo "results in $out" >&2

if [ -z "${KEEP:-}" ]; then
	for n in "${sizes[@]}"; do rm -f "$RASD_BENCH_DIR/rasd-$n.db"*; done
	if [ -z "${SKIP_PG:-}" ]; then
		for n in "${sizes[@]}"; do
			PGOPTIONS="-c client_min_messages=warning" psql "${RASD_TEST_PG:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}" -qc "DROP SCHEMA IF EXISTS rasd_bench_$n CASCADE" >/dev/null
		done
	fi
fi
