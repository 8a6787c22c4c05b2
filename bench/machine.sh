# bench/machine.sh: what the store and import benchmarks share; sourced,
# not run.

# need_gnu_time installs GNU time, which reports a process's peak RSS.
need_gnu_time() {
	[ -x /usr/bin/time ] && return
	echo "installing GNU time (Debian package 'time') for peak RSS" >&2
	if [ "$(id -u)" = 0 ]; then apt-get install -y -qq time >/dev/null; else sudo apt-get install -y -qq time >/dev/null; fi
}

# machine_info prints the machine, the commit and the load, for a results
# file. Any arguments are printed too, one line each.
machine_info() {
	echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
	echo "cpu:     $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
	echo "ram:     $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
	echo "go:      $(go version)"
	[ $# -eq 0 ] || printf '%s\n' "$@"
	load_line start
}

# load_line prints the load average, at start or end of a run.
load_line() {
	echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at $1"
}
