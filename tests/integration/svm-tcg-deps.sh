#!/usr/bin/env bash
# scripts/install-deps.sh and the QEMU pin (hosts/svm-tcg/debian-packages.txt):
# on this machine the check passes and qemu-system-x86 comes from
# bookworm-backports; a run with everything present changes nothing. The
# install path itself runs against a scratch apt directory with dpkg-query,
# apt-cache and apt-get stand-ins that play a fresh Debian 12 with QEMU 7.2
# (the real ones would change this machine): it must add the suite's deb822
# source and preference and install with -t bookworm-backports, and a second
# run must be a no-op.
source "$(dirname "$0")/../lib.sh"
need_root "installs would need root"
require_cmd apt-cache dpkg-query
S=$IRQPATH_ROOT/scripts/install-deps.sh
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")

# ---- this machine ----
bash "$S" --check >"$T/o" 2>&1; check_eq "install-deps --check passes here" 0 $?
if [ "$codename" = bookworm ]; then
	check_eq "qemu-system-x86 is pinned to bookworm-backports" "qemu-system-x86 bookworm-backports" \
		"$(bash "$S" --pinned)"
	check "installed qemu-system-x86 comes from bookworm-backports" \
		sh -c "apt-cache policy qemu-system-x86 | sed -n '/^ \*\*\*/,/^     [^ ]/p' | grep -q ' bookworm-backports/'"
else
	skip "not Debian 12: the bookworm-backports pin does not apply here"
	skip "not Debian 12"
fi
v=$(qemu-system-x86_64 --version | sed -n 's/^QEMU emulator version \([0-9]*\)\..*/\1/p')
check "qemu-system-x86_64 is not the QEMU 7 that hangs L1 guests (major $v)" test "${v:-0}" -ge 8
sum() { find /etc/apt -type f -newer "$T/stamp" 2>/dev/null; }
touch "$T/stamp"; sleep 1
bash "$S" >"$T/o" 2>&1; check_eq "install-deps with everything present exits 0" 0 $?
check "... and says so" grep -q "all Debian packages present" "$T/o"
check_eq "... and writes nothing under /etc/apt" "" "$(sum)"

# ---- a fresh Debian 12 with QEMU 7.2 (stand-ins, scratch apt dir) ----
if [ "$codename" != bookworm ]; then
	skip "not Debian 12: fresh-bookworm install path not exercised"
	done_testing; exit
fi
F=$T/fake; mkdir -p "$F/bin" "$F/apt/sources.list.d" "$F/apt/preferences.d"
# dpkg-query: everything installed; qemu-system-x86 at 7.2 until apt-get installs 10.0.2
cat >"$F/bin/dpkg-query" <<EOS
#!/bin/sh
for a; do pkg=\$a; done
case "\$*" in *Version*) [ -e $F/bpo ] && [ "\$pkg" = qemu-system-x86 ] && { echo "1:10.0.2+ds-2+deb13u1~bpo12+1"; exit 0; }
	echo "1:7.2+dfsg-7+deb12u18+b3"; exit 0 ;; esac
echo "install ok installed"
EOS
cat >"$F/bin/apt-cache" <<EOS
#!/bin/sh
case "\$1" in
show) echo "Package: qemu-system-x86"; echo "Source: qemu" ;;
policy) echo "\$2:"; echo "  Version table:"
	if [ -e $F/bpo ]; then
		echo " *** 1:10.0.2+ds-2+deb13u1~bpo12+1 500"
		echo "        500 http://deb.debian.org/debian bookworm-backports/main amd64 Packages"
		echo "     1:7.2+dfsg-7+deb12u18+b3 500"
		echo "        500 http://deb.debian.org/debian bookworm/main amd64 Packages"
	else
		echo " *** 1:7.2+dfsg-7+deb12u18+b3 500"
		echo "        500 http://deb.debian.org/debian bookworm/main amd64 Packages"
		echo "        100 /var/lib/dpkg/status"
	fi ;;
esac
EOS
cat >"$F/bin/apt-get" <<EOS
#!/bin/sh
echo "apt-get \$*" >>$F/apt-get.log
case "\$*" in *"-t bookworm-backports qemu-system-x86"*) touch $F/bpo ;; esac
EOS
chmod +x "$F"/bin/*
fake() { PATH=$F/bin:$PATH IRQPATH_APT_ETC=$F/apt bash "$S" "$@"; }
fake --check >"$T/o" 2>&1; check_eq "fresh bookworm: --check fails" 1 $?
check "... naming the pin and the installed 7.2" \
	grep -q "qemu-system-x86 must be installed from bookworm-backports (installed: 1:7.2" "$T/o"
fake >"$T/o" 2>&1; check_eq "fresh bookworm: install exits 0" 0 $?
src=$F/apt/sources.list.d/irqpath-bookworm-backports.sources
# this machine's /etc/apt/sources.list may already name the suite
if grep -qsw bookworm-backports /etc/apt/sources.list; then
	skip "/etc/apt/sources.list already has bookworm-backports"
else
	check "deb822 source written" grep -qx "Suites: bookworm-backports" "$src"
	check "... signed by Debian's archive keyring" \
		grep -qx "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" "$src"
fi
check "preference: every binary of src:qemu from bookworm-backports" \
	sh -c "grep -qx 'Package: src:qemu' '$F/apt/preferences.d/irqpath-qemu-system-x86' &&
		grep -qx 'Pin: release n=bookworm-backports' '$F/apt/preferences.d/irqpath-qemu-system-x86'"
check "apt-get update, then install -t bookworm-backports qemu-system-x86" \
	sh -c "grep -n . '$F/apt-get.log' | tr '\n' ' ' | grep -q '1:apt-get update.*2:apt-get install .*-t bookworm-backports qemu-system-x86'"
n=$(wc -l <"$F/apt-get.log")
fake >"$T/o" 2>&1; check_eq "second run exits 0" 0 $?
check "second run is a no-op" grep -q "all Debian packages present" "$T/o"
check_eq "second run calls no apt-get" "$n" "$(wc -l <"$F/apt-get.log")"
rm -f "$F/bpo"
chmod 755 "$T" "$F" "$F/bin"   # nobody must reach the stand-ins
PATH=$F/bin:$PATH IRQPATH_APT_ETC=$F/apt setpriv --reuid=65534 --regid=65534 --clear-groups \
	bash "$S" >"$T/o" 2>&1
check_eq "as non-root: exits 1" 1 $?
check "as non-root: prints the -t bookworm-backports install line" \
	grep -q "apt-get install -y -t bookworm-backports qemu-system-x86" "$T/o"
done_testing
