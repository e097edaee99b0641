#!/usr/bin/env bash
# Installs the Debian packages every component lists in its
# debian-packages.txt (one package per line, '#' comments).
#
# A line PKG/SUITE pins PKG to SUITE, a Debian suite of the running release
# (today: qemu-system-x86/bookworm-backports, hosts/svm-tcg/debian-packages.txt,
# because bookworm's QEMU 7.2 hangs KVM guests inside the svm-tcg host). On
# that release the suite is added to apt's sources (a deb822 file signed by
# Debian's archive keyring, unless a source for it exists), an apt
# preference makes every binary of PKG's source package come from it, and
# PKG is installed with `apt-get install -t SUITE`. A pinned package counts
# as present only when its installed version comes from SUITE. On another
# release (where SUITE does not belong) the line means plain PKG.
#
# Usage: scripts/install-deps.sh [--check | --pinned]
#   --check   list what is missing, exit 1 if any
#   --pinned  print the pins that apply here ("PKG SUITE" lines)
# Idempotent: with everything present it changes nothing.
set -eu
cd "$(dirname "$0")/.."
APT_ETC=${IRQPATH_APT_ETC:-/etc/apt}
codename=$( (. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}") || true)

entries=$(cat debian-packages.txt */debian-packages.txt */*/debian-packages.txt 2>/dev/null |
	sed 's/#.*//' | tr -s ' \t' '\n' | grep -v '^$' | sort -u)
declare -A pin=()
for e in $entries; do
	case "$e" in
	*/*) suite=${e#*/}
		# a suite of this release only (bookworm-backports on bookworm)
		[ -n "$codename" ] && [ "${suite%%-*}" = "$codename" ] && pin[${e%%/*}]=$suite ;;
	esac
done
plain=$(for e in $entries; do p=${e%%/*}; [ -z "${pin[$p]:-}" ] && echo "$p"; done | sort -u)

if [ "${1:-}" = "--pinned" ]; then
	for p in "${!pin[@]}"; do echo "$p ${pin[$p]}"; done
	exit 0
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
# from_suite PKG SUITE: the installed version of PKG is one SUITE offers
from_suite() {
	apt-cache policy "$1" 2>/dev/null | awk -v s=" $2/" '
		/^ \*\*\* / { inst = 1; next }
		/^     [^ ]/ { inst = 0 }
		inst && index($0, s) { found = 1 }
		END { exit !found }'
}

missing=()
for p in $plain; do installed "$p" || missing+=("$p"); done
missing_pinned=()
for p in "${!pin[@]}"; do
	installed "$p" && from_suite "$p" "${pin[$p]}" || missing_pinned+=("$p")
done

if [ "${1:-}" = "--check" ]; then
	[ ${#missing[@]} -eq 0 ] && [ ${#missing_pinned[@]} -eq 0 ] && exit 0
	[ ${#missing[@]} -eq 0 ] || echo "missing Debian packages: ${missing[*]}"
	for p in "${missing_pinned[@]+"${missing_pinned[@]}"}"; do
		echo "$p must be installed from ${pin[$p]} (installed: $(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo none))"
	done
	exit 1
fi
[ ${#missing[@]} -eq 0 ] && [ ${#missing_pinned[@]} -eq 0 ] && { echo "all Debian packages present"; exit 0; }

# the apt source and preference of each pinned suite
sources_has() { grep -rqsw -- "$1" /etc/apt/sources.list "$APT_ETC"/sources.list.d/; }
setup_suite() { # PKG SUITE [print]
	local p=$1 s=$2 src=$APT_ETC/sources.list.d/irqpath-$2.sources
	local pref=$APT_ETC/preferences.d/irqpath-$1
	local srcpkg
	srcpkg=$(apt-cache show --no-all-versions "$p" 2>/dev/null | sed -n 's/^Source: \([^ ]*\).*/\1/p' | head -n1)
	[ -n "$srcpkg" ] || srcpkg=$p
	if [ -n "${3:-}" ]; then
		sources_has "$s" || echo "  (write $src: deb http://deb.debian.org/debian $s main, Debian archive keyring)"
		echo "  (write $pref: Package: src:$srcpkg, Pin: release n=$s, Pin-Priority: 500)"
		return
	fi
	if ! sources_has "$s"; then
		[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || apt-get install -y -qq debian-archive-keyring
		mkdir -p "$(dirname "$src")"
		printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
			"$s" >"$src.tmp" && mv "$src.tmp" "$src"
		echo "install-deps: added $src" >&2
	fi
	# every binary of the source package (qemu-system-common, -data, ...) from
	# the suite: equal priority, so its newer version wins
	mkdir -p "$(dirname "$pref")"
	printf 'Package: src:%s\nPin: release n=%s\nPin-Priority: 500\n' "$srcpkg" "$s" >"$pref.tmp" &&
		mv "$pref.tmp" "$pref"
}

if [ "$(id -u)" -ne 0 ]; then
	echo "irqpath needs these Debian packages; run as root:" >&2
	for p in "${missing_pinned[@]+"${missing_pinned[@]}"}"; do setup_suite "$p" "${pin[$p]}" print >&2; done
	echo "  apt-get update${missing[*]:+ && apt-get install -y ${missing[*]}}" >&2
	for p in "${missing_pinned[@]+"${missing_pinned[@]}"}"; do
		echo "  apt-get install -y -t ${pin[$p]} $p" >&2
	done
	echo "  (or run scripts/install-deps.sh as root)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
for p in "${missing_pinned[@]+"${missing_pinned[@]}"}"; do setup_suite "$p" "${pin[$p]}"; done
apt-get update -qq
[ ${#missing[@]} -eq 0 ] || apt-get install -y -qq --no-install-recommends "${missing[@]}"
for p in "${missing_pinned[@]+"${missing_pinned[@]}"}"; do
	apt-get install -y -qq --no-install-recommends -t "${pin[$p]}" "$p"
	from_suite "$p" "${pin[$p]}" || { echo "install-deps: $p did not come from ${pin[$p]}" >&2; exit 1; }
done
