#!/usr/bin/env bash
# The whole test suite: formatting, vet, govulncheck (scripts/vulncheck.sh), every test against SQLite and the
# local PostgreSQL, and a few seconds of each fuzz target. CI runs exactly
# this (.ci/run). PostgreSQL is never skipped: it is started, or installed
# and started, when absent.
set -euo pipefail
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
			# Go 1.26's fuzzing coordinator can fail a target with "context
			# deadline exceeded" as -fuzztime ends, with no failing input
			# (golang/go#75804, fixed in Go 1.27): such a target runs once
			# more. A real finding says "Failing input written" and fails.
			if grep -q 'context deadline exceeded' <<<"$out" && ! grep -q 'Failing input written' <<<"$out" &&
				echo "   Go's fuzzing deadline race (golang/go#75804): once more" &&
				out=$(fuzz "$pkg" "$target"); then
				continue
			fi
			printf '%s\n' "$out"
			echo "FAIL: fuzz target $target of $pkg" >&2
			exit 1
		fi
	done
done

step "all tests passed"
