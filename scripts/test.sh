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

step "go vet, go test and govulncheck, side by side"
# The web package's browser flows (TestE2E*) take longest: they start
# first, as a test process of their own beside the rest of the web
# package, go vet, govulncheck (local database from golang.org/x/vulndb)
# and the other packages; the instrumented fuzz binaries are built while
# the browser flows still run. Each side's output is printed whole when it
# ends, and any failure fails the step.
side=$(mktemp -d)
pids=()
background() { # name command…: runs it beside, its output kept for later
	local name=$1; shift
	"$@" >"$side/$name.log" 2>&1 &
	pids+=("$!:$name")
}
# One build of the web package's test binary serves both of its halves.
go test -c -o "$side/web.test" ./internal/web/
webtest() { (cd internal/web && "$side/web.test" "$@"); }
background web-browser webtest -test.run '^TestE2E'
background web webtest -test.skip '^TestE2E'
background vet go vet ./...
background govulncheck bash scripts/vulncheck.sh
failed=0
go test -count=1 $(go list ./... | grep -v '/internal/web$') || failed=1

# Every FuzzXxx in the tree runs briefly in the next step; its packages'
# instrumented test binaries are built now, beside the browser flows.
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
for p in "${pids[@]}"; do
	name=${p#*:}
	wait "${p%%:*}" || { echo "FAIL: $name"; failed=1; }
	echo "-- $name"
	cat "$side/$name.log"
done
rm -rf "$side"
[ "$failed" = 0 ]

step "fuzz ($FUZZTIME each, two at a time)"
# Longer runs: FUZZTIME=10m scripts/test.sh. The targets run two at a
# time, one worker each (the machine has two cores).
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
