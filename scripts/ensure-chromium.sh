#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed, for the browser tests
# (internal/web/e2e_test.go, driven by chromedp). Nothing else from the
# browser world is installed: no driver, no browser download.
set -euo pipefail
# The Go every command of this project uses (README, go.mod).
export GOTOOLCHAIN=go1.27.3

# sudo_ and apt_ (waits for another apt or dpkg to finish).
source "$(dirname "$0")/apt.sh"

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
