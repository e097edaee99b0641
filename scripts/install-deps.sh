#!/usr/bin/env bash
# Installs the Debian packages every component lists in its
# debian-packages.txt (one package per line, '#' comments).
# Usage: scripts/install-deps.sh [--check]   (--check: list what is missing, exit 1 if any)
set -eu
cd "$(dirname "$0")/.."
pkgs=$(cat debian-packages.txt */debian-packages.txt */*/debian-packages.txt 2>/dev/null |
	sed 's/#.*//' | tr -s ' \t' '\n' | grep -v '^$' | sort -u)
missing=()
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${1:-}" = "--check" ]; then
	[ ${#missing[@]} -eq 0 ] && exit 0
	echo "missing Debian packages: ${missing[*]}"
	exit 1
fi
[ ${#missing[@]} -eq 0 ] && { echo "all Debian packages present"; exit 0; }
if [ "$(id -u)" -ne 0 ]; then
	echo "irqpath needs these Debian packages; run as root:" >&2
	echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
