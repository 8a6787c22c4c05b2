#!/usr/bin/env bash
# The whole test suite: formatting, vet, govulncheck (scripts/vulncheck.sh), every test against SQLite and the
# local PostgreSQL, and a few seconds of each fuzz target. CI runs exactly
# this (.ci/run). PostgreSQL is never skipped: it is started, or installed
# and started, when absent.
set -euo pipefail
# The Go every command of this project uses (README, go.mod).
export GOTOOLCHAIN=go1.27.3
cd "$(dirname "$0")/.."

export PATH="$PATH:/usr/local/go/bin:$HOME/go/bin"
export RASD_TEST_PG="${RASD_TEST_PG:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"
# Browser tests fail rather than skip when Chromium is missing.
export RASD_REQUIRE_BROWSER=1
FUZZTIME="${FUZZTIME:-3s}"

step() { printf '\n== %s\n' "$*"; }

step "PostgreSQL at 127.0.0.1:5432"
bash scripts/ensure-postgres.sh

step "Chromium (browser tests)"
bash scripts/ensure-chromium.sh

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

step "go vet"
go vet ./...

step "govulncheck (local database from golang.org/x/vulndb)"
bash scripts/vulncheck.sh

step "go test"
go test -count=1 ./...

step "fuzz ($FUZZTIME each)"
fuzz() { go test -run '^$' -fuzz "^$2\$" -fuzztime "$FUZZTIME" "$1" 2>&1; }
# Every FuzzXxx in the tree runs briefly; longer runs: FUZZTIME=10m scripts/test.sh
for pkg in $(go list ./...); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
		echo "-- $pkg $target"
		# Quiet when it passes; all of its output, and the target, when not.
		if ! out=$(fuzz "$pkg" "$target"); then
			printf '%s\n' "$out"
			echo "FAIL: fuzz target $target of $pkg" >&2
			exit 1
		fi
	done
done

step "all tests passed"
