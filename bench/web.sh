#!/usr/bin/env bash
# Load benchmark of the web interface (the target in BENCHMARKS.md, "Web": ≥ 2,000 incident
# pages/s, p99 ≤ 50 ms at 64 concurrent clients, RSS ≤ 150 MB).
#
# Builds rasd, makes a demo data directory of N fictional incidents (kept
# between runs in $WORK), signs a coordinator in without a browser
# (bench/websession writes the session straight into the store), serves it,
# and runs wrk against GET /incidents/{id} with a random incident per
# request. Prints wrk's report and a summary: pages/s, p99, the server's CPU
# time per page (which other work on the machine changes far less than
# pages/s) and its RSS (peak, and sampled under load).
#
#   bench/web.sh                      # 100,000 incidents, 64 connections, 30 s
#   N=10000 DURATION=10s bench/web.sh
#   PROFILE=1 bench/web.sh            # serve through bench/webprofile and
#                                     # record a CPU profile under load
#
# Environment: N, CONNS (64), THREADS (wrk threads, 2), DURATION (30s),
# PORT (18080; PROFILE uses PORT+1 too), WORK (a directory kept between runs, default
# ${TMPDIR:-/tmp}/rasd-bench-web), RASD_PASSPHRASE (demo data only).
set -euo pipefail
# The Go every command of this project uses (README, go.mod).
export GOTOOLCHAIN=go1.27.3

N=${N:-100000}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
DURATION=${DURATION:-30s}
PORT=${PORT:-18080}
PROFILE=${PROFILE:-}
WORK=${WORK:-${TMPDIR:-/tmp}/rasd-bench-web}
export RASD_PASSPHRASE=${RASD_PASSPHRASE:-rasd-bench-passphrase}
# rasd serve must not wait for a terminal.
unset RASD_KEY_FILE RASD_DB

cd "$(dirname "$0")/.."
mkdir -p "$WORK"
DATA=$WORK/data-$N
BASE=http://127.0.0.1:$PORT

if ! command -v wrk >/dev/null; then
	echo "installing wrk" >&2
	apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

go build -o "$WORK/rasd" ./cmd/rasd
go build -o "$WORK/websession" ./bench/websession

if [ ! -e "$DATA/rasd.keyring" ]; then
	echo "generating $N demo incidents in $DATA" >&2
	SECONDS=0
	"$WORK/rasd" demo --data "$DATA" --incidents "$N" --no-serve >/dev/null
	echo "generated in ${SECONDS} s" >&2
fi

TOKEN=$("$WORK/websession" -data "$DATA" -ids "$WORK/ids-$N.txt")
COOKIE="rasd_session=$TOKEN"

if [ -n "$PROFILE" ]; then
	# The same server in-process with Go's profiler on the next port.
	PPROF=127.0.0.1:$((PORT + 1))
	go build -o "$WORK/webprofile" ./bench/webprofile
	"$WORK/webprofile" -data "$DATA" -addr "127.0.0.1:$PORT" -pprof "$PPROF" >"$WORK/serve.log" 2>&1 &
else
	"$WORK/rasd" serve --data "$DATA" --addr "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
fi
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT

status() { curl -s -o /dev/null -w '%{http_code}' -b "$COOKIE" "$BASE$1"; }
for i in $(seq 300); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/login")" = 200 ] && break
	[ "$i" = 300 ] && { echo "the server did not start:" >&2; cat "$WORK/serve.log" >&2; exit 1; }
	sleep 0.1
done
kib() { awk -v k="$1:" '$1 == k {print $2}' /proc/$PID/status; }
start_hwm=$(kib VmHWM)

FIRST=$(head -1 "$WORK/ids-$N.txt" | cut -d' ' -f1)
if [ "$(status "/incidents/$FIRST")" != 200 ]; then
	echo "GET /incidents/$FIRST does not answer 200 with the benchmark's session" >&2
	exit 1
fi
TARGET="GET /incidents/{id}, a random one of $(wc -l <"$WORK/ids-$N.txt") incidents, as a coordinator"
echo "target: $TARGET" >&2

cat >"$WORK/pages.lua" <<EOF
-- Each request asks for a random incident; any answer but 200 is counted.
local ids = {}
for line in io.lines("$WORK/ids-$N.txt") do
  ids[#ids + 1] = line:match("^(%S+)")
end
wrk.headers["Cookie"] = "$COOKIE"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) math.randomseed(os.time() + math.floor(os.clock() * 1e6)); bad = 0 end
function request()
  return wrk.format("GET", "/incidents/" .. ids[math.random(#ids)])
end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("bad") end
  io.write(string.format("answers other than 200: %d\n", n))
end
EOF

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# CPU time the server spends (clock ticks): per page, it depends far less
# than pages/s on what else runs on the machine.
cpu() { awk '{print $14 + $15}' /proc/$PID/stat; }
cpu_before=$(cpu)
# RSS every 0.2 s while the load runs.
(while kill -0 $PID 2>/dev/null; do kib VmRSS; sleep 0.2; done >"$WORK/rss.txt") &
SAMPLER=$!
if [ -n "$PROFILE" ]; then
	# 10 s of CPU profile from the middle of the run.
	(sleep 5 && curl -s -o "$WORK/cpu.prof" "http://$PPROF/debug/pprof/profile?seconds=10") &
	PROFILER=$!
fi
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$WORK/pages.lua" "$BASE" | tee "$WORK/wrk.txt"

cpu_after=$(cpu)
kill $SAMPLER 2>/dev/null || true
after=$(status "/incidents/$FIRST")
requests=$(awk '/requests in/ {print $1}' "$WORK/wrk.txt")
cpu_ms=$(awk -v d=$((cpu_after - cpu_before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN {printf "%.2f", d * 1000 / hz / n}')
rss_max=$(sort -n "$WORK/rss.txt" | tail -1)
rss_med=$(sort -n "$WORK/rss.txt" | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
hwm=$(kib VmHWM)
rss=$(kib VmRSS)
rps=$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk.txt")
p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")
echo
echo "summary: $TARGET"
echo "  machine: $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM; wrk on the same machine"
echo "  pages/s: $rps (target ≥ 2000)"
echo "  p99: $p99 (target ≤ 50ms)"
echo "  server CPU: $cpu_ms ms per page (so at most $(awk -v c="$cpu_ms" 'BEGIN {printf "%.0f", 1000 / c}') pages/s per core)"
echo "  server RSS (target ≤ 150 MB = 143 MiB): peak of its life (VmHWM) $((hwm / 1024)) MiB, $((start_hwm / 1024)) MiB once started;"
echo "    every 0.2 s under load: median $((rss_med / 1024)) MiB, max $((rss_max / 1024)) MiB; $((rss / 1024)) MiB after"
echo "  load average before the run: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the numbers)"
if [ -n "$PROFILE" ]; then
	wait $PROFILER
	go tool pprof -top -cum -nodecount=60 "$WORK/cpu.prof" >"$WORK/cpu.top" 2>/dev/null
	echo "  CPU profile: $WORK/cpu.prof (go tool pprof -http=: $WORK/cpu.prof); top: $WORK/cpu.top"
fi
echo "  session still valid after the run: $after"
