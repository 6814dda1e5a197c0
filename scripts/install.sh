#!/usr/bin/env bash
# Installs Sluice on a Debian/Ubuntu host as a systemd service (docs/operations.md, "Install").
#
#   scripts/install.sh [options]
#
#   --from DIR|ZIP      the Liberty server to install: a build's target/liberty directory (the
#                       default, holding wlp/usr/servers/sluice) or a zip made by `server package`
#   --dry-run           print every command and file instead of running or writing it
#   --with-postgresql   also install PostgreSQL and create a local database and role "sluice"
#   --with-tor          also install tor
#   --with-nftables     also install nftables (for the firewall feature)
#   --db-url URL        DB_URL for a new /etc/sluice/sluice.env (default jdbc:postgresql://127.0.0.1:5432/sluice)
#   --start             start the service at the end (default: enabled, not started)
#
# Lays out /opt/sluice/wlp, creates the system user "sluice", writes /etc/sluice/sluice.env
# (mode 0600, once: an existing file, and so its SLUICE_SECRET_KEY, is never overwritten) and
# /etc/systemd/system/sluice.service. Run as root.
set -euo pipefail

PREFIX=/opt/sluice
CONF_DIR=/etc/sluice
ENV_FILE=$CONF_DIR/sluice.env
UNIT_FILE=/etc/systemd/system/sluice.service
SERVICE_USER=sluice

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

dry_run=0
from=""
with_pg=0
with_tor=0
with_nft=0
start=0
db_url="jdbc:postgresql://127.0.0.1:5432/sluice"
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1 ;;
    --from) [ $# -ge 2 ] || { echo "install.sh: --from needs a directory or zip" >&2; exit 2; }; from="$2"; shift ;;
    --db-url) [ $# -ge 2 ] || { echo "install.sh: --db-url needs a value" >&2; exit 2; }; db_url="$2"; shift ;;
    --with-postgresql) with_pg=1 ;;
    --with-tor) with_tor=1 ;;
    --with-nftables) with_nft=1 ;;
    --start) start=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

if [ -z "$from" ]; then
  from="$(cd "$(dirname "$0")/.." && pwd)/target/liberty"
fi
[ -e "$from" ] || { echo "install.sh: $from does not exist (build with mvn package, or pass --from)" >&2; exit 2; }
if [ -d "$from" ] && [ ! -d "$from/wlp" ] && [ $dry_run -eq 0 ]; then
  echo "install.sh: $from holds no wlp/ directory (expected a build's target/liberty)" >&2
  exit 2
fi
if [ $dry_run -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root (or try --dry-run)" >&2
  exit 1
fi
command -v apt-get >/dev/null 2>&1 || [ $dry_run -eq 1 ] || { echo "install.sh: needs apt-get (Debian/Ubuntu)" >&2; exit 1; }

# Every change goes through run or put_file, so --dry-run shows the whole plan.
run() {
  printf '+ %s\n' "$*"
  if [ $dry_run -eq 0 ]; then
    "$@"
  fi
}

# put_file PATH MODE OWNER: writes stdin to PATH (no dry-run) or prints it.
put_file() {
  local path="$1" mode="$2" owner="$3" content
  content=$(cat)
  printf '+ write %s (mode %s, owner %s):\n' "$path" "$mode" "$owner"
  if [ $dry_run -eq 1 ]; then
    printf '%s\n' "$content" | sed -e 's/^SLUICE_SECRET_KEY=.*/SLUICE_SECRET_KEY=<generated>/' \
      -e 's/^DB_PASSWORD=.*/DB_PASSWORD=<generated>/' -e 's/^/    | /'
    return 0
  fi
  local tmp
  tmp=$(mktemp "$(dirname "$path")/.install.XXXXXX")
  printf '%s\n' "$content" >"$tmp"
  chmod "$mode" "$tmp"
  chown "$owner" "$tmp"
  mv "$tmp" "$path"
}

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {split($2, v, "."); print v[1]}'
}

echo "== packages"
packages=()
java_bin=""
for candidate in /usr/lib/jvm/temurin-2[1-9]*/bin/java /usr/lib/jvm/java-2[1-9]-openjdk-*/bin/java; do
  if [ -x "$candidate" ] && [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then
    java_bin="$candidate"
    break
  fi
done
if [ -z "$java_bin" ]; then
  # Temurin when its apt repository is configured, else Debian's OpenJDK 21.
  if apt-cache policy temurin-21-jre 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    packages+=(temurin-21-jre)
  else
    packages+=(openjdk-21-jre-headless)
  fi
fi
case "$from" in *.zip) installed unzip || packages+=(unzip) ;; esac
[ $with_pg -eq 1 ] && packages+=(postgresql postgresql-client)
[ $with_tor -eq 1 ] && packages+=(tor)
[ $with_nft -eq 1 ] && packages+=(nftables)
missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  run apt-get update -qq
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ -z "$java_bin" ]; then
  java_bin=/usr/lib/jvm/java-21-openjdk-amd64/bin/java
  for candidate in /usr/lib/jvm/temurin-21-jre*/bin/java /usr/lib/jvm/java-21-openjdk-*/bin/java; do
    if [ -x "$candidate" ]; then
      java_bin="$candidate"
      break
    fi
  done
fi
java_home=$(dirname "$(dirname "$java_bin")")

echo "== user"
if getent passwd "$SERVICE_USER" >/dev/null; then
  echo "user $SERVICE_USER exists"
else
  run useradd --system --user-group --home-dir "$PREFIX" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
fi

echo "== server directory $PREFIX"
run install -d -m 0755 -o root -g root "$PREFIX"
if [ -d "$PREFIX/wlp" ]; then
  # An upgrade: keep the server's data, logs and TLS keystore, replace everything else.
  run mv "$PREFIX/wlp" "$PREFIX/wlp.previous"
fi
case "$from" in
  *.zip) run unzip -q -o "$from" -d "$PREFIX" ;;
  *) run cp -a "$from/wlp" "$PREFIX/wlp" ;;
esac
server_dir="$PREFIX/wlp/usr/servers/sluice"
if [ -d "$PREFIX/wlp.previous" ] || [ $dry_run -eq 1 ]; then
  for keep in resources/security data logs; do
    if [ -e "$PREFIX/wlp.previous/usr/servers/sluice/$keep" ]; then
      run rm -rf "${server_dir:?}/$keep"
      run cp -a "$PREFIX/wlp.previous/usr/servers/sluice/$keep" "$server_dir/$keep"
    fi
  done
  if [ -d "$PREFIX/wlp.previous" ]; then
    run rm -rf "$PREFIX/wlp.previous"
  fi
fi
run chown -R root:root "$PREFIX/wlp"
run install -d -m 0750 -o "$SERVICE_USER" -g "$SERVICE_USER" "$server_dir/logs" "$server_dir/data" "$server_dir/resources/security" "$PREFIX/wlp/usr/servers/.classCache" "$server_dir/workarea"
run chown -R "$SERVICE_USER:$SERVICE_USER" "$server_dir/logs" "$server_dir/data" "$server_dir/resources/security" "$server_dir/workarea"

echo "== configuration $ENV_FILE"
run install -d -m 0750 -o root -g "$SERVICE_USER" "$CONF_DIR"
if [ -e "$ENV_FILE" ]; then
  echo "$ENV_FILE exists: kept as it is (its SLUICE_SECRET_KEY is never replaced)"
else
  secret_key=$(head -c 32 /dev/urandom | base64)
  db_password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  if [ $with_pg -eq 1 ]; then
    db_name="${db_url##*/}"
    db_name="${db_name%%\?*}"
    echo "+ create role $SERVICE_USER and database $db_name in the local PostgreSQL"
    if [ $dry_run -eq 0 ]; then
      printf '%s\n' \
        "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$SERVICE_USER') THEN CREATE ROLE $SERVICE_USER LOGIN; END IF; END \$\$;" \
        "ALTER ROLE $SERVICE_USER PASSWORD '$db_password';" |
        runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -d postgres
      if [ -z "$(runuser -u postgres -- psql -A -t -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db_name'")" ]; then
        runuser -u postgres -- createdb -O "$SERVICE_USER" "$db_name"
      fi
    fi
  fi
  put_file "$ENV_FILE" 0600 root:root <<ENV
# Sluice settings (docs/configuration.md). Read by systemd (sluice.service) at start.
DB_URL=$db_url
DB_USER=$SERVICE_USER
DB_PASSWORD=$db_password
# The server key encrypts passwords and keys in the database. Every node needs the same value.
# KEEP A COPY APART FROM THE DATABASE BACKUPS: without it the encrypted values are unreadable.
SLUICE_SECRET_KEY=$secret_key
# SLUICE_PROXY_BIND=0.0.0.0
ENV
fi

echo "== systemd unit $UNIT_FILE"
put_file "$UNIT_FILE" 0644 root:root <<UNIT
[Unit]
Description=Sluice egress gateway
After=network-online.target postgresql.service
Wants=network-online.target

[Service]
Type=simple
User=$SERVICE_USER
Group=$SERVICE_USER
EnvironmentFile=$ENV_FILE
Environment=JAVA_HOME=$java_home
Environment=WLP_USER_DIR=$PREFIX/wlp/usr
ExecStart=$PREFIX/wlp/bin/server run sluice
# The firewall feature changes nftables rules; binding ports below 1024 needs the second one.
AmbientCapabilities=CAP_NET_ADMIN CAP_NET_BIND_SERVICE
CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_BIND_SERVICE
NoNewPrivileges=true
ProtectSystem=full
PrivateTmp=true
LimitNOFILE=65536
Restart=on-failure
RestartSec=5
# Stop: SIGTERM, then live sessions drain for SLUICE_PROXY_DRAIN_SECONDS (10 s) before Liberty stops.
KillSignal=SIGTERM
TimeoutStopSec=60
SuccessExitStatus=143

[Install]
WantedBy=multi-user.target
UNIT

if [ -d /run/systemd/system ] || [ $dry_run -eq 1 ]; then
  run systemctl daemon-reload
  run systemctl enable sluice.service
  if [ $start -eq 1 ]; then
    run systemctl restart sluice.service
  fi
else
  echo "systemd is not running here: start the unit on a systemd host (systemctl enable --now sluice)"
fi

if [ $dry_run -eq 1 ]; then
  echo
  echo "Dry run: nothing was changed."
  exit 0
fi
cat <<DONE

Installed. Next:
  - check $ENV_FILE (DB_URL, DB_USER, DB_PASSWORD) and copy SLUICE_SECRET_KEY somewhere safe;
  - systemctl start sluice; journalctl -u sluice; the first admin password is in
    $server_dir/logs/messages.log (SLUICE0020W);
  - ports and upgrades: docs/operations.md.
DONE
