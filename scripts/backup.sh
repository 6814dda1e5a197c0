#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Backs up Sluice's PostgreSQL database with pg_dump in custom format (-Fc), for
# scripts/restore.sh. The database comes from DB_URL (jdbc:postgresql://host:port/db), DB_USER
# and DB_PASSWORD, as the server reads them (e.g. `set -a; . /etc/sluice/sluice.env; set +a`).
#
#   scripts/backup.sh                  writes sluice-<db>-<UTC timestamp>.dump in the current directory
#   scripts/backup.sh -o FILE          writes FILE
#
# The dump does NOT contain the server key (SLUICE_SECRET_KEY); see docs/operations.md.
set -euo pipefail

usage() {
  awk 'NR > 2 && /^#/ { sub(/^# ?/, ""); print; next } NR > 2 { exit }' "$0"
}

out=""
while [ $# -gt 0 ]; do
  case "$1" in
    -o | --output)
      [ $# -ge 2 ] || { echo "backup.sh: $1 needs a file name" >&2; exit 2; }
      out="$2"
      shift 2
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      echo "backup.sh: unknown argument: $1" >&2
      usage >&2
      exit 2
      ;;
  esac
done

# shellcheck source=./pg-env.sh
. "$(dirname "$0")/pg-env.sh"
pg_env_from_db_url

command -v pg_dump >/dev/null 2>&1 || { echo "backup.sh: pg_dump not found (Debian package postgresql-client)" >&2; exit 1; }

if [ -z "$out" ]; then
  out="sluice-${PGDATABASE}-$(date -u +%Y%m%dT%H%M%SZ).dump"
fi

# Written beside the target first, so a failed dump never leaves a truncated file under the name.
tmp="${out}.partial"
trap 'rm -f "$tmp"' EXIT
umask 077
pg_dump -Fc --no-owner --no-privileges -f "$tmp" "$PGDATABASE"
mv "$tmp" "$out"
trap - EXIT

echo "backup.sh: wrote $out ($(wc -c <"$out") bytes) from database $PGDATABASE on $PGHOST:$PGPORT"
key_reminder
