#!/usr/bin/env bash
# The README's test command. Picks a JDK 21+, installs the outside programs the tests drive
# (curl, python3 with PySocks, proxychains4, microsocks, promtool, shellcheck) when they are missing and this user may
# install packages (root or passwordless sudo, Debian/Ubuntu apt), then runs `mvn verify`.
# Extra arguments go to Maven, e.g. `scripts/test.sh -Dit.test=ProxyIT`.
# Without DB_URL the integration tests use the embedded H2 database; .ci/run sets up PostgreSQL
# first and then calls this script.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }

pick_jdk() {
  local candidate v
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-2[1-9]* \
      /usr/lib/jvm/java-2[1-9]-openjdk-amd64 /usr/lib/jvm/*; do
    if [ -z "$candidate" ] || [ ! -x "$candidate/bin/java" ]; then
      continue
    fi
    v=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

SUDO=""
CAN_INSTALL=0
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    CAN_INSTALL=1
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
    CAN_INSTALL=1
  fi
fi
APT_UPDATED=0
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    # "install ok installed" only: a removed package keeps its config files and dpkg -s still succeeds
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $CAN_INSTALL -eq 0 ]; then
    log "cannot install ${missing[*]} (not root, no passwordless sudo, or no apt-get): the tests that need them are skipped"
    return 0
  fi
  if [ $APT_UPDATED -eq 0 ]; then
    $SUDO apt-get update -qq
    APT_UPDATED=1
  fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq ${NO_RECOMMENDS:+--no-install-recommends} "${missing[@]}"
}

if ! JAVA_HOME=$(pick_jdk); then
  apt_install openjdk-21-jdk-headless
  JAVA_HOME=$(pick_jdk) || { echo "no JDK 21+ found or installable; set JAVA_HOME to a JDK 21+" >&2; exit 1; }
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
log "JDK: $JAVA_HOME"

command -v mvn >/dev/null 2>&1 || apt_install maven
# The outside programs the tests run for real (see README "Test").
apt_install curl python3 python3-socks proxychains4 microsocks python3-aiosmtpd nftables iptables iproute2 socat
# The Tor fleet's tests run real tor processes, with DisableNetwork 1 or on a private Tor network
# inside a network namespace the test makes (TorNetworkIT, docs/tor.md); tor-geoipdb carries the
# country database. Where the package starts a tor service (systemd), this script stops
# and disables it again when it installed the package: the tests start their own tor processes.
had_tor=0
dpkg-query -W -f='${Status}' tor 2>/dev/null | grep -q 'install ok installed' && had_tor=1
apt_install tor tor-geoipdb
if [ $had_tor -eq 0 ] && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now tor.service >/dev/null 2>&1 || true
fi
# The operations kit's checks (io.sluice.ops.OpsKitTest) need promtool (Debian package prometheus)
# and the shellcheck program. The prometheus package also carries the Prometheus server, which its install would
# enable and may start: when this script installed it, the service is stopped and disabled again.
had_prometheus=0
dpkg-query -W -f='${Status}' prometheus 2>/dev/null | grep -q 'install ok installed' && had_prometheus=1
apt_install shellcheck
# The console's browser tests (io.sluice.it.ConsoleIT) drive Debian's headless Chromium through
# its chromedriver (same version, same package source).
apt_install chromium chromium-driver
# Without recommends: they would add the node exporter, another daemon.
command -v promtool >/dev/null 2>&1 || NO_RECOMMENDS=1 apt_install prometheus
if [ $had_prometheus -eq 0 ] && dpkg-query -W -f='${Status}' prometheus 2>/dev/null | grep -q 'install ok installed'; then
  if [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now prometheus.service >/dev/null 2>&1 || true
  elif [ -x /etc/init.d/prometheus ]; then
    $SUDO /etc/init.d/prometheus stop >/dev/null 2>&1 || true
  fi
fi

# Stop a server left over from an interrupted run, so the ports are free.
if [ -x .liberty/wlp/bin/server ]; then
  WLP_USER_DIR="$PWD/target/liberty/wlp/usr" .liberty/wlp/bin/server stop sluice >/dev/null 2>&1 || true
fi

log "mvn verify (database: ${DB_URL:-embedded H2})"
exec mvn -B -ntp verify "$@"
