#!/usr/bin/env bash
# bench/weight.sh DIR: the weight of the heaviest pages (docs/web.md: at
# most 150 KB each, uncompressed) served from an existing data directory:
# for issue 19, the 1,000,000 ACLED incidents `KEEP=1 bench/acled.sh
# 1000000` leaves. TestPageWeight checks the limit on a worst case of
# 25,920 incidents; this measures the same pages at any size. Signs a
# coordinator in without a browser (bench/websession), serves DIR and
# prints each page's status, bytes as served uncompressed, gzipped bytes
# and time. English (the account's language).
#
#   RASD_PASSPHRASE=… bench/weight.sh /var/tmp/rasd-bench/acled-…/data-1000000
set -euo pipefail
export GOTOOLCHAIN=go1.27.3
cd "$(dirname "$0")/.."
DATA=${1:?give the data directory}
PORT=${PORT:-18090}
BASE=http://127.0.0.1:$PORT
WORK=$(mktemp -d)
go build -o "$WORK/rasd" ./cmd/rasd
go build -o "$WORK/websession" ./bench/websession
COOKIE="rasd_session=$("$WORK/websession" -data "$DATA" -user weight)"
"$WORK/rasd" serve --data "$DATA" --addr "127.0.0.1:$PORT" </dev/null >"$WORK/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for i in $(seq 600); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/login")" = 200 ] && break
	[ "$i" = 600 ] && { echo "the server did not start:" >&2; cat "$WORK/serve.log" >&2; exit 1; }
	sleep 0.1
done
printf '| page | status | bytes | gzip | seconds |\n|---|---:|---:|---:|---:|\n'
for p in "/dashboard" "/dashboard?last=all" "/dashboard?last=all&cube=2" "/dashboard?last=all&type=killing" \
	"/dashboard?since=2019-10-01" "/dashboard/receipt?last=all" "/incidents" "/search?q=Basra"; do
	read -r code size secs < <(curl -s -b "$COOKIE" -o "$WORK/page" -w '%{http_code} %{size_download} %{time_total}\n' "$BASE$p")
	printf '| `%s` | %s | %s | %s | %s |\n' "$p" "$code" "$size" "$(gzip -c "$WORK/page" | wc -c)" "$secs"
done
