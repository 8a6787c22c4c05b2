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
# the browser flows still run. The machine's two cores are busy all along:
# what shortens this step is less work, not more at once. Each side's
# output is printed whole when it ends, with when it ended, and any
# failure fails the step.
side=$(mktemp -d) fuzzbin=$(mktemp -d) logs=$(mktemp -d)
trap 'rm -rf "$side" "$fuzzbin" "$logs"' EXIT
pids=()
background() { # name command…: runs it beside, its output and its end kept for later
	local name=$1; shift
	{ local rc=0; "$@" || rc=$?; echo $((SECONDS - began)) >"$side/$name.end"; exit $rc; } >"$side/$name.log" 2>&1 &
	pids+=("$!:$name")
}
began=$SECONDS
# One build of the web package's test binary serves both of its halves.
go test -c -o "$side/web.test" ./internal/web/
webtest() { (cd internal/web && "$side/web.test" "$@"); }
# The crash test of imports (a minute alone, the real binary killed 20
# times) is a process of its own too, so that internal/cli ends sooner.
kill9='^TestImportSurvivesKill9$'
go test -c -o "$side/cli.test" ./internal/cli/
kill9test() { (cd internal/cli && "$side/cli.test" -test.run "$kill9"); }
# Every FuzzXxx in the tree runs briefly in the next step, from one
# instrumented test binary per package, built now beside the rest: 'go
# test -fuzz' would link the binary again for each target. The list of
# targets ("package directory binary target") is written for that step.
fuzzbuild() {
	local pkg dir found bin target
	for pkg in $(go list ./...); do
		dir=$(go list -f '{{.Dir}}' "$pkg")
		found=$(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u || true)
		[ -n "$found" ] || continue
		bin="$fuzzbin/${pkg//\//_}.test"
		go test -c -o "$bin" -fuzz=. "$pkg" || return 1
		for target in $found; do
			echo "$pkg $dir $bin $target" >>"$fuzzbin/targets"
		done
	done
}
background web-browser webtest -test.run '^TestE2E'
background cli-kill9 kill9test
background web webtest -test.skip '^TestE2E'
background vet go vet ./...
background govulncheck bash scripts/vulncheck.sh
background fuzz-build fuzzbuild
failed=0
go test -count=1 -skip "$kill9" $(go list ./... | grep -v '/internal/web$') || failed=1
echo "-- go test of the other packages ended after $((SECONDS - began))s"

for p in "${pids[@]}"; do
	name=${p#*:}
	wait "${p%%:*}" || { echo "FAIL: $name"; failed=1; }
	echo "-- $name (ended after $(cat "$side/$name.end" 2>/dev/null || echo ?)s)"
	cat "$side/$name.log"
done
[ "$failed" = 0 ]

step "fuzz ($FUZZTIME each, two at a time)"
# Longer runs: FUZZTIME=10m scripts/test.sh. The targets run two at a
# time, one worker each (the machine has two cores). A binary run by hand
# needs what go test gives it: the package's directory (its testdata) and
# the cache of inputs found before.
fuzz() { # pkg dir binary target: one line when it passes; its output and name when not
	local log="$logs/${1//\//_}.$4.log"
	if ! (cd "$2" && "$3" -test.run '^$' -test.fuzz "^$4\$" -test.fuzztime "$FUZZTIME" -test.parallel 1 \
		-test.fuzzcachedir "$fuzzcache/$1") >"$log" 2>&1; then
		cat "$log"
		echo "FAIL: fuzz target $4 of $1" >&2
		return 1
	fi
	# go test's count is what its worker had reported when time ran out: a
	# floor, at times far below the truth (6 shown for a target that ran
	# 93,000 inputs in 12 s), so it is printed as one.
	local execs
	execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
	if grep -q 'now fuzzing' "$log"; then
		echo "-- $1 $4 (fuzzed, at least ${execs:-0} inputs)"
	else
		echo "-- $1 $4 (no time was left after the seed corpus)"
	fi
}
fuzzcache="$(go env GOCACHE)/fuzz" # where go test keeps each package's inputs found before
export -f fuzz
export FUZZTIME logs fuzzcache
xargs <"$fuzzbin/targets" -P 2 -L 1 bash -c 'fuzz $0 $1 $2 $3'

step "all tests passed"
printf '   (%ds in all)\n' $((SECONDS - started))
