#!/usr/bin/env bash
# bench/acled.sh: the import target (BENCHMARKS.md) as a user meets it: `rasd import
# --format acled` of one file of N ACLED-format rows into a new, encrypted
# data directory (the embedded default), all or nothing, timed from the
# command's start to its end: reading and checking the CSV, mapping it,
# and storing every record with its history, audit entry and search index.
#
#   bench/acled.sh                 # 100,000 and 1,000,000 rows
#   bench/acled.sh 20000           # other sizes
#
# The rows are the demo's fictional incidents, written by rasd's own ACLED
# export (bench/acledgen). In the same run, for each size, the driver's
# ceiling: the same number of rows inserted into one bare encrypted table
# through the same SQLite driver (BenchmarkRawInsert, rollback journal as
# the import uses), and the ratio of the two rates (issue 19's target:
# at least 0.4, and at least 20,000 rows/s, at 1,000,000 rows).
#
# Environment:
#   RASD_BENCH_DIR  where files and data directories go (default /var/tmp/rasd-bench)
#   KEEP=1          keep the data directories and CSV files afterwards
#   RASD_DB         a postgres:// URL: import into PostgreSQL instead (through
#                   COPY), in the schema its search_path names, or else
#                   rasd_acled_N, made afresh; no bare
#                   insert then, but the server's CPU time (its processes'
#                   children's, so anything else on the server counts too)
set -euo pipefail
# The Go every command of this project uses (README, go.mod).
export GOTOOLCHAIN=go1.27.3
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
dir=${RASD_BENCH_DIR:-/var/tmp/rasd-bench}
out=$dir/acled-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"

. bench/machine.sh
need_gnu_time
machine_info | tee "$out/machine.txt"

go build -trimpath -o "$out/rasd" ./cmd/rasd
export RASD_PASSPHRASE="rasd benchmark passphrase: not a secret"
export RASD_NEW_PASSWORD="rasd benchmark admin password"
pg=${RASD_DB:-}
unset RASD_DB
if [ -z "$pg" ]; then
	go test -c -o "$out/sqlite.test" ./internal/store/sqlite
	summary=("| rows | seconds | rows/s | CPU s (user+sys) | peak RSS MB | DB MB | bare insert rows/s | ratio |" "|---:|---:|---:|---:|---:|---:|---:|---:|")
else
	summary=("| rows | seconds | rows/s | CPU s (user+sys) | peak RSS MB | server CPU s |" "|---:|---:|---:|---:|---:|---:|")
fi

# server_cpu prints the CPU seconds the PostgreSQL server's exited
# backends have used (the postmaster's children).
server_cpu() {
	local pm
	pm=$(pgrep -o -x postgres) && [ -r "/proc/$pm/stat" ] || { echo 0; return; }
	awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($16 + $17) / hz}' "/proc/$pm/stat"
}
for n in "${sizes[@]}"; do
	csv=$dir/acled-$n.csv
	if [ ! -s "$csv" ]; then
		echo "== generating $csv" >&2
		go run ./bench/acledgen -rows "$n" -o "$csv.tmp" && mv "$csv.tmp" "$csv"
	fi
	data=$out/data-$n
	if [ -n "$pg" ]; then
		# A URL that names its schema (search_path=…) keeps it, made afresh.
		schema=$(sed -n 's/.*[?&]search_path=\([A-Za-z0-9_]*\).*/\1/p' <<<"$pg")
		base=$(sed 's/[?&]search_path=[A-Za-z0-9_]*//' <<<"$pg")
		[ -n "$schema" ] || schema=rasd_acled_$n
		psql "$base" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" -qc "CREATE SCHEMA $schema" 2>/dev/null
		sep='?'; [[ $base == *\?* ]] && sep='&'
		export RASD_DB="$base${sep}search_path=$schema"
	fi
	"$out/rasd" init --data "$data" >/dev/null
	echo "== rasd import --format acled ($n rows)" >&2
	[ -z "$pg" ] || server0=$(server_cpu)
	/usr/bin/time -v -o "$out/import-$n.time" "$out/rasd" import --data "$data" --format acled "$csv" </dev/null | tee "$out/import-$n.txt"
	secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$out/import-$n.time")
	cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f", s}' "$out/import-$n.time")
	rss=$(awk -F: '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$out/import-$n.time")
	rate=$(awk -v n="$n" -v s="$secs" 'BEGIN {printf "%.0f", n / s}')
	if [ -n "$pg" ]; then
		sleep 3 # the server ends the import's backend after the command, and counts its CPU then
		summary+=("| $n | $secs | $rate | $cpu | $rss | $(awk -v a="$server0" -v b="$(server_cpu)" 'BEGIN {printf "%.1f", b - a}') |")
		unset RASD_DB
		[ -n "${KEEP:-}" ] || psql "$base" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" 2>/dev/null
	else
		db=$(du -sm "$data/rasd.db" | cut -f1)
		echo "== bare encrypted one-table insert ($n rows, same driver)" >&2
		bare=$(cd internal/store/sqlite && RASD_BENCH_N=$n RASD_BENCH_DIR=$out "$out/sqlite.test" -test.run '^$' \
			-test.bench 'RawInsert/journal=delete/encrypted=true' -test.benchtime 1x | tee "$out/bare-$n.txt" |
			awk '{for (i = 2; i <= NF; i++) if ($i == "rows/s") printf "%.0f", $(i-1)}')
		summary+=("| $n | $secs | $rate | $cpu | $rss | $db | $bare | $(awk -v a="$rate" -v b="$bare" 'BEGIN {printf "%.2f", a / b}') |")
	fi
	[ -n "${KEEP:-}" ] || rm -rf "$data"
done
[ -n "${KEEP:-}" ] || rm -f "$dir"/acled-*.csv
load_line end | tee -a "$out/machine.txt"
printf '%s\n' "" "${summary[@]}" | tee "$out/summary.md"
echo "results in $out" >&2
