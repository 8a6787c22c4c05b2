# Sourced by the ensure-*.sh scripts: installing Debian packages.
# shellcheck shell=bash
# The Go every command of this project uses (README, go.mod).
export GOTOOLCHAIN=go1.27.3

# sudo_ runs a command as root, through sudo unless already root.
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
