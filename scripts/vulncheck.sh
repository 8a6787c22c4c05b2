#!/usr/bin/env bash
# govulncheck against a vulnerability database built locally from the
# golang.org/x/vulndb module (vuln.go.dev cannot be reached from here; the
# Go module proxy serves the database's source, data/osv/*.json). Fails when
# rasd calls a vulnerable function whose id is not in
# scripts/vulncheck-accepted.txt. Tools and database are pinned and cached in
# $RASD_TOOLS (default ~/.cache/rasd-tools): the first run downloads and
# builds for some minutes, later runs take about as long as govulncheck.
set -euo pipefail
# The Go every command of this project uses (README, go.mod).
export GOTOOLCHAIN=go1.27.3
cd "$(dirname "$0")/.."

VULN_VERSION=v1.9.0                                   # golang.org/x/vuln (govulncheck)
VULNDB_VERSION=v0.0.0-20261105234957-e22db6528018     # golang.org/x/vulndb (data and indexdb)
TOOLS="${RASD_TOOLS:-$HOME/.cache/rasd-tools}"
# govulncheck must be built by the Go it checks: the toolchain is in the path.
BIN="$TOOLS/bin-vuln-$VULN_VERSION-db-$VULNDB_VERSION-$(go env GOVERSION)"
DB="$TOOLS/vulndb-$VULNDB_VERSION"

if [ ! -x "$BIN/govulncheck" ] || [ ! -x "$BIN/indexdb" ]; then
	echo "installing govulncheck $VULN_VERSION and indexdb (vulndb $VULNDB_VERSION) into $BIN"
	mkdir -p "$BIN"
	GOBIN="$BIN" GOFLAGS=-mod=mod go install "golang.org/x/vuln/cmd/govulncheck@$VULN_VERSION"
	GOBIN="$BIN" GOFLAGS=-mod=mod go install "golang.org/x/vulndb/cmd/indexdb@$VULNDB_VERSION"
fi
if [ ! -f "$DB/index/db.json" ]; then
	echo "building the vulnerability database from golang.org/x/vulndb@$VULNDB_VERSION into $DB"
	src=$(GOFLAGS=-mod=mod go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[ -d "$src/data/osv" ] || { echo "no data/osv in $src"; exit 1; }
	rm -rf "$DB.tmp"
	"$BIN/indexdb" -vulns "$src/data/osv" -out "$DB.tmp"
	rm -rf "$DB" && mv "$DB.tmp" "$DB"
fi
echo "database: golang.org/x/vulndb@$VULNDB_VERSION ($(ls "$DB/ID" | grep -c "json$") entries)"

out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$BIN/govulncheck" -db "file://$DB" -format json ./... >"$out"
go run scripts/vulncheck/filter.go scripts/vulncheck-accepted.txt <"$out"
