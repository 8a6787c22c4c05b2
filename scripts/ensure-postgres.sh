#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers at 127.0.0.1:5432 with trust auth
# and a database named test: start the local cluster, or install one.
set -euo pipefail
# The Go every command of this project uses (README, go.mod).
export GOTOOLCHAIN=go1.27.3

ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
# sudo_ and apt_ (waits for another apt or dpkg to finish).
source "$(dirname "$0")/apt.sh"

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
