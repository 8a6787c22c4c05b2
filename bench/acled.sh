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
# export (bench/acledgen). Environment:
#   RASD_BENCH_DIR  where files and data directories go (default /var/tmp/rasd-bench)
#   KEEP=1          keep the data directories and CSV files afterwards
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

summary=("| rows | seconds | rows/s | CPU s (user+sys) | peak RSS MB | DB MB |" "|---:|---:|---:|---:|---:|---:|")
for n in "${sizes[@]}"; do
	csv=$dir/acled-$n.csv
	if [ ! -s "$csv" ]; then
		echo "== generating $csv" >&2
		go run ./bench/acledgen -rows "$n" -o "$csv.tmp" && mv "$csv.tmp" "$csv"
	fi
	data=$out/data-$n
	"$out/rasd" init --data "$data" >/dev/null
	echo "== rasd import --format acled ($n rows)" >&2
	/usr/bin/time -v -o "$out/import-$n.time" "$out/rasd" import --data "$data" --format acled "$csv" </dev/null | tee "$out/import-$n.txt"
	secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$out/import-$n.time")
	cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f", s}' "$out/import-$n.time")
	rss=$(awk -F: '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$out/import-$n.time")
	db=$(du -sm "$data/rasd.db" | cut -f1)
	summary+=("| $n | $secs | $(awk -v n="$n" -v s="$secs" 'BEGIN {printf "%.0f", n / s}') | $cpu | $rss | $db |")
	[ -n "${KEEP:-}" ] || rm -rf "$data"
done
[ -n "${KEEP:-}" ] || rm -f "$dir"/acled-*.csv
load_line end | tee -a "$out/machine.txt"
printf '%s\n' "" "${summary[@]}" | tee "$out/summary.md"
echo "results in $out" >&2
