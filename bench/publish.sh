#!/usr/bin/env bash
# Times `rasd publish` (the static public portal) on a demo data directory.
#
# Builds rasd, makes a demo data directory of N fictional incidents (kept
# between runs in $WORK; about 40% of demo incidents are public, so the
# default 250,000 gives about 100,000 public incidents), then publishes it
# into $WORK/site-$N with /usr/bin/time, and prints rasd's report, the
# wall-clock, CPU and peak RSS, and the size of the site.
#
#   bench/publish.sh                  # 250,000 demo incidents
#   N=50000 bench/publish.sh
#
# Environment: N, WORK (a directory kept between runs, default
# ${TMPDIR:-/tmp}/rasd-bench-publish), OUT (where the site is written,
# default $WORK/site-$N), RASD_PASSPHRASE (demo data only).
set -euo pipefail
# The Go every command of this project uses (README, go.mod).
export GOTOOLCHAIN=go1.27.3

N=${N:-250000}
WORK=${WORK:-${TMPDIR:-/tmp}/rasd-bench-publish}
OUT=${OUT:-$WORK/site-$N}
export RASD_PASSPHRASE=${RASD_PASSPHRASE:-rasd-bench-passphrase}
unset RASD_KEY_FILE RASD_DB

cd "$(dirname "$0")/.."
mkdir -p "$WORK"
DATA=$WORK/data-$N
go build -o "$WORK/rasd" ./cmd/rasd
if [ ! -d "$DATA" ]; then
	echo "making $N demo incidents in $DATA" >&2
	"$WORK/rasd" demo --data "$DATA" --incidents "$N" --no-serve >/dev/null
fi
rm -rf "$OUT"
echo "rasd publish --data $DATA --out $OUT --base-url https://example.org/" >&2
/usr/bin/time -f 'wall %e s, user %U s, system %S s, peak RSS %M kB' \
	"$WORK/rasd" publish --data "$DATA" --out "$OUT" --base-url https://example.org/
echo "site: $(find "$OUT" -type f | wc -l) files, $(du -sh "$OUT" | cut -f1) on disk"
