#!/usr/bin/env bash
# kill -9 during evidence intake, against the real binary: each round
# starts 'rasd evidence add' of a large file full of a canary string,
# kills it with SIGKILL at a random moment, and then checks that
#   - 'rasd evidence clean --grace 0s' removes what the intake left,
#   - every stored file has its row and every row its file,
#   - 'rasd evidence verify' and 'rasd audit verify' pass,
#   - the canary appears nowhere in the data directory (no plaintext).
# Usage: scripts/evidence-kill.sh [ROUNDS]   (default 20)
set -euo pipefail
# The Go every command of this project uses (README, go.mod).
export GOTOOLCHAIN=go1.27.3
cd "$(dirname "$0")/.."
rounds="${1:-20}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/rasd" ./cmd/rasd
export RASD_DATA="$work/data" RASD_PASSPHRASE="kill test passphrase" RASD_NEW_PASSWORD="kill test admin password"
rasd() { "$work/rasd" "$@"; }
rasd init >/dev/null
cat >"$work/in.json" <<'JSON'
{"format": "rasd-incidents", "version": 1, "incidents": [{"type": "death_threat",
 "date": {"start": "2020-01-01", "precision": "day"}, "place": {"admin1": "IQ-BG"}, "external": {"system": "k", "id": "1"}}]}
JSON
rasd import --format json "$work/in.json" >/dev/null
code=IQ-2020-0001 # the imported incident's code
canary="KILLCANARY-Safaa-relocated-Erbil-07700000000"
# About 60 MiB of plain text: long enough to be killed mid-stream.
{ yes "$canary witness statement" || true; } | head -c 62914560 >"$work/big.txt"
for i in $(seq 1 "$rounds"); do
	"$work/rasd" evidence add --incident "$code" "$work/big.txt" >/dev/null 2>&1 &
	pid=$!
	if [ $((RANDOM % 3)) = 0 ]; then
		sleep "$((RANDOM % 3)).$((RANDOM % 10))" # any moment: unlock, stream, rename, commit
	else
		# Mid-stream: once the encrypted temporary file exists.
		for _ in $(seq 1 200); do
			find "$RASD_DATA/evidence" -name '.tmp-*' 2>/dev/null | grep -q . && break
			sleep 0.05
		done
		sleep "0.$((RANDOM % 5))"
	fi
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	rasd evidence clean --grace 0s >/dev/null
	rows=$(rasd evidence list | wc -l)
	files=$(find "$RASD_DATA/evidence" -type f | wc -l)
	if [ "$rows" != "$files" ]; then echo "round $i: $rows rows but $files files"; exit 1; fi
	rasd evidence verify >/dev/null || { echo "round $i: evidence verify failed"; exit 1; }
	rasd audit verify >/dev/null || { echo "round $i: audit verify failed"; exit 1; }
	if grep -rqa "$canary" "$RASD_DATA" /tmp/rasd* 2>/dev/null; then echo "round $i: plaintext canary on disk"; exit 1; fi
	echo "round $i: ok ($rows file(s) stored in all)"
done
