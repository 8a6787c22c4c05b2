#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed, for the browser tests
# (internal/web/e2e_test.go, driven by chromedp). Nothing else from the
# browser world is installed: no driver, no browser download.
set -euo pipefail
# The Go every command of this project uses (README, go.mod).
export GOTOOLCHAIN=go1.27.3

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

if ! command -v chromium >/dev/null 2>&1; then
	echo "installing Chromium from Debian's packages"
	apt_ update -qq
	apt_ install -y -qq chromium >/dev/null
fi
if ! command -v chromium >/dev/null 2>&1; then
	echo "chromium is not on PATH after installing it; the browser tests cannot run" >&2
	exit 1
fi
# The Debian launcher prints a harmless shell warning on some machines; keep
# only the version line.
echo "Chromium ready: $(chromium --version 2>/dev/null | head -n1)"
