#!/usr/bin/env bash
# Shared by backup.sh and restore.sh (sourced): turns DB_URL / DB_USER / DB_PASSWORD into the
# libpq variables PGHOST, PGPORT, PGDATABASE, PGUSER and PGPASSWORD, so no password appears on a
# command line.

pg_env_from_db_url() {
  if [ -z "${DB_URL:-}" ]; then
    echo "DB_URL is not set (jdbc:postgresql://host:port/database); the embedded H2 database is not backed up by these scripts" >&2
    exit 2
  fi
  local rest hostport
  case "$DB_URL" in
    jdbc:postgresql://*) rest="${DB_URL#jdbc:postgresql://}" ;;
    *)
      echo "DB_URL must look like jdbc:postgresql://host:port/database, not: $DB_URL" >&2
      exit 2
      ;;
  esac
  rest="${rest%%\?*}"
  hostport="${rest%%/*}"
  PGDATABASE="${rest#*/}"
  if [ "$hostport" = "$rest" ] || [ -z "$PGDATABASE" ]; then
    echo "DB_URL names no database: $DB_URL" >&2
    exit 2
  fi
  case "$hostport" in
    \[*\]:*) PGHOST="${hostport%]:*}"; PGHOST="${PGHOST#[}"; PGPORT="${hostport##*]:}" ;;
    \[*\]) PGHOST="${hostport#[}"; PGHOST="${PGHOST%]}"; PGPORT=5432 ;;
    *:*) PGHOST="${hostport%:*}"; PGPORT="${hostport##*:}" ;;
    *) PGHOST="$hostport"; PGPORT=5432 ;;
  esac
  [ -n "$PGHOST" ] || PGHOST=localhost
  export PGHOST PGPORT PGDATABASE
  if [ -n "${DB_USER:-}" ]; then
    export PGUSER="$DB_USER"
  fi
  if [ -n "${DB_PASSWORD:-}" ]; then
    export PGPASSWORD="$DB_PASSWORD"
  fi
}

key_reminder() {
  cat >&2 <<'MSG'

  ************************************************************************************
  *  KEEP THE SERVER KEY SEPARATELY.                                                 *
  *  The dump holds proxy user passwords, upstream exit passwords, TOTP secrets and  *
  *  the token signing key ENCRYPTED with SLUICE_SECRET_KEY, which is NOT in it.     *
  *  Without the same key a restored database starts but these values are           *
  *  unreadable. Store the key (e.g. from /etc/sluice/sluice.env) in a different     *
  *  place than the dumps.                                                           *
  ************************************************************************************
MSG
}
