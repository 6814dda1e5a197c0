#!/usr/bin/env bash
# Removes what scripts/install.sh installed (docs/operations.md, "Install").
#
#   scripts/uninstall.sh [--dry-run] [--purge]
#
# Stops and removes the sluice.service unit and /opt/sluice. Keeps /etc/sluice (the settings
# and the server key), the "sluice" user and the database unless --purge is given; --purge also
# drops the database named in /etc/sluice/sluice.env when it is on this host (127.0.0.1 or
# localhost, through the local postgres account). Packages (Java, PostgreSQL, tor, nftables)
# stay installed.
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
purge=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1 ;;
    --purge) purge=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "uninstall.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if [ $dry_run -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
  echo "uninstall.sh: run as root (or try --dry-run)" >&2
  exit 1
fi

run() {
  printf '+ %s\n' "$*"
  if [ $dry_run -eq 0 ]; then
    "$@"
  fi
}

if [ -d /run/systemd/system ] || [ $dry_run -eq 1 ]; then
  run systemctl disable --now sluice.service || true
fi
run rm -f "$UNIT_FILE"
if [ -d /run/systemd/system ] || [ $dry_run -eq 1 ]; then
  run systemctl daemon-reload
fi
run rm -rf "$PREFIX"

if [ $purge -eq 0 ]; then
  echo "Kept $CONF_DIR (settings and SLUICE_SECRET_KEY), the user $SERVICE_USER and the database; --purge removes them."
  exit 0
fi

db_url=""
if [ -r "$ENV_FILE" ]; then
  db_url=$(sed -n 's/^DB_URL=//p' "$ENV_FILE" | tail -1)
fi
case "$db_url" in
  jdbc:postgresql://127.0.0.1[:/]* | jdbc:postgresql://localhost[:/]*)
    db_name="${db_url##*/}"
    db_name="${db_name%%\?*}"
    if getent passwd postgres >/dev/null || [ $dry_run -eq 1 ]; then
      run runuser -u postgres -- dropdb --if-exists "$db_name"
    else
      echo "No local postgres account: database $db_name left in place."
    fi
    ;;
  "") echo "No DB_URL in $ENV_FILE: no database dropped." ;;
  *) echo "Database $db_url is not on this host: left in place." ;;
esac
run rm -rf "$CONF_DIR"
if getent passwd "$SERVICE_USER" >/dev/null || [ $dry_run -eq 1 ]; then
  run userdel "$SERVICE_USER"
fi
