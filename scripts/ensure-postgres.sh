#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers at 127.0.0.1:5432 with trust auth
# and a database named test: start the local cluster, or install one.
set -euo pipefail
# The Go every command of this project uses (README, go.mod).
export GOTOOLCHAIN=go1.27.3

ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
# apt_ waits up to 10 minutes for another apt or dpkg (an unattended
# upgrade, another helper's install) to release its locks instead of
# failing at once: DPkg::Lock::Timeout covers dpkg's locks, and the loop
# the lists lock 'apt-get update' takes, which the option does not cover
# on older apt.
apt_() {
	local tries=0 out
	while :; do
		if out=$(sudo_ env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@" 2>&1); then
			return 0
		fi
		if ! grep -qi 'could not get lock\|unable to acquire\|is held by process' <<<"$out" || [ $((tries += 1)) -ge 120 ]; then
			printf '%s\n' "$out" >&2
			return 1
		fi
		[ "$tries" = 1 ] && echo "waiting for another apt or dpkg process to finish (up to 10 minutes)" >&2
		sleep 5
	done
}

if ! command -v pg_isready >/dev/null 2>&1; then
	echo "installing PostgreSQL from Debian's packages"
	apt_ update -qq
	apt_ install -y -qq postgresql >/dev/null
fi
if ! ready; then
	echo "starting the local PostgreSQL cluster"
	for v in $(ls /etc/postgresql 2>/dev/null); do
		hba="/etc/postgresql/$v/main/pg_hba.conf"
		# Tests connect as postgres over TCP without a password.
		if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
			sudo_ sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
		fi
		sudo_ pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
	done
	for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
if ! ready; then
	echo "PostgreSQL does not answer at 127.0.0.1:5432; the PostgreSQL tests cannot run" >&2
	exit 1
fi
if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1; then
	psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE test"
fi
echo "PostgreSQL ready: $(psql -h 127.0.0.1 -U postgres -d test -tAc 'SHOW server_version')"
