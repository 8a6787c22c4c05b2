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

# Each step says how long the one before took, so that the suite's time
# can be read from CI's output.
started=$SECONDS
last=$SECONDS
step() {
	[ "$last" = "$started" ] || printf '   (%ds)\n' $((SECONDS - last))
	last=$SECONDS
	printf '\n== %s\n' "$*"
}

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

step "go test, with govulncheck beside it"
# The web package's browser tests take longest: they start first, beside
# the other packages, and govulncheck (local database from
# golang.org/x/vulndb) runs meanwhile; each one's output is printed whole
# when it ends, and any failure fails the step.
side=$(mktemp -d)
go test -count=1 ./internal/web/ >"$side/web.log" 2>&1 &
web=$!
bash scripts/vulncheck.sh >"$side/vuln.log" 2>&1 &
vuln=$!
failed=0
go test -count=1 $(go list ./... | grep -v '/internal/web$') || failed=1
wait "$web" || failed=1
cat "$side/web.log"
wait "$vuln" || { echo "govulncheck:"; failed=1; }
cat "$side/vuln.log"
rm -rf "$side"
[ "$failed" = 0 ]

step "fuzz ($FUZZTIME each, two at a time)"
# Every FuzzXxx in the tree runs briefly; longer runs: FUZZTIME=10m scripts/test.sh
# Each package's instrumented test binary is built once, first; then the
# targets run two at a time, one worker each (the machine has two cores).
targets=()
for pkg in $(go list ./...); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	found=$(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u || true)
	[ -n "$found" ] || continue
	go test -c -o /dev/null -fuzz=. "$pkg" >/dev/null 2>&1 || true # warms the build cache
	for target in $found; do
		targets+=("$pkg $target")
	done
done
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
fuzz() { # pkg target: quiet when it passes; its output and name when not
	local log="$logs/${1//\//_}.$2.log"
	if ! go test -run '^$' -fuzz "^$2\$" -fuzztime "$FUZZTIME" -parallel 1 "$1" >"$log" 2>&1; then
		cat "$log"
		echo "FAIL: fuzz target $2 of $1" >&2
		return 1
	fi
	echo "-- $1 $2"
}
export -f fuzz
export FUZZTIME logs
printf '%s\n' "${targets[@]}" | xargs -P 2 -L 1 bash -c 'fuzz $0 $1'

step "all tests passed"
printf '   (%ds in all)\n' $((SECONDS - started))
