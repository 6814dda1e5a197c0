#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Restores a dump made by scripts/backup.sh into the database named by DB_URL
# (jdbc:postgresql://host:port/db), DB_USER and DB_PASSWORD, with pg_restore --clean --if-exists:
# objects of the dump are dropped and recreated. Stop every Sluice node first.
#
#   scripts/restore.sh [--yes] FILE
#
# Refuses to touch a database that already has tables unless --yes is given. The server must
# start with the SLUICE_SECRET_KEY the backed-up database was written with.
set -euo pipefail

usage() {
  awk 'NR > 2 && /^#/ { sub(/^# ?/, ""); print; next } NR > 2 { exit }' "$0"
}

yes=0
file=""
while [ $# -gt 0 ]; do
  case "$1" in
    -y | --yes) yes=1; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "restore.sh: unknown option: $1" >&2; usage >&2; exit 2 ;;
    *)
      [ -z "$file" ] || { echo "restore.sh: one dump file only" >&2; exit 2; }
      file="$1"
      shift
      ;;
  esac
done
[ -n "$file" ] || { usage >&2; exit 2; }
[ -r "$file" ] || { echo "restore.sh: cannot read $file" >&2; exit 2; }

# shellcheck source=./pg-env.sh
. "$(dirname "$0")/pg-env.sh"
pg_env_from_db_url

for p in pg_restore psql; do
  command -v "$p" >/dev/null 2>&1 || { echo "restore.sh: $p not found (Debian package postgresql-client)" >&2; exit 1; }
done

pg_restore --list "$file" >/dev/null || { echo "restore.sh: $file is not a pg_dump custom-format archive" >&2; exit 2; }

tables=$(psql -X -A -t -v ON_ERROR_STOP=1 -c \
  "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
if [ "$tables" -gt 0 ] && [ $yes -eq 0 ]; then
  echo "restore.sh: database $PGDATABASE on $PGHOST:$PGPORT has $tables tables; their data is replaced by the dump." >&2
  echo "restore.sh: stop every Sluice node, then run again with --yes." >&2
  exit 3
fi

echo "restore.sh: restoring $file into $PGDATABASE on $PGHOST:$PGPORT"
pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction \
  -d "$PGDATABASE" "$file"
echo "restore.sh: done. Start Sluice with the SLUICE_SECRET_KEY this database was written with."
key_reminder
