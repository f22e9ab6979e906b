#!/usr/bin/env bash
# Installs the system packages that some tests drive, when they are missing (it does nothing otherwise):
#   chromium + chromium-driver  DashboardIT (the web dashboard in a real headless browser)
#   python3-cassandra           NativeProtocolDriverTest (the DataStax Python driver against the native protocol)
# `mvn verify` runs it before app's tests (exec-maven-plugin in app/pom.xml), so a fresh Debian/Ubuntu
# machine needs nothing else. Without apt-get (or root/sudo) it only says what is missing; the tests that
# need a package then fail (or skip, see docs/api.md) with their own message.
set -uo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
/usr/bin/python3 -c 'import cassandra' >/dev/null 2>&1 || need+=(python3-cassandra)
[ ${#need[@]} -eq 0 ] && exit 0
echo "install-test-deps: missing ${need[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-deps: no apt-get here; install ${need[*]} by hand" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "install-test-deps: not root and no sudo; install ${need[*]} by hand" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y -q --no-install-recommends "${need[@]}" \
  || { $sudo apt-get update -q && $sudo apt-get install -y -q --no-install-recommends "${need[@]}"; } \
  || echo "install-test-deps: apt-get could not install ${need[*]}" >&2
exit 0
