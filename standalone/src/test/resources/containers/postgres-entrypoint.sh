#!/bin/sh
# The official postgres image's contract, on Debian's own PostgreSQL 15, for images built here
# without a registry: on first start (empty $PGDATA) initdb with POSTGRES_USER / POSTGRES_PASSWORD,
# create POSTGRES_DB, run /docker-entrypoint-initdb.d/*.sql as that user; then run the server,
# listening on every address with passwords checked.
set -eu
PGDATA=${PGDATA:-/var/lib/postgresql/data}
bin=/usr/lib/postgresql/15/bin
mkdir -p "$PGDATA" /run/postgresql
chown postgres:postgres "$PGDATA" /run/postgresql
chmod 700 "$PGDATA"
as_postgres() { runuser -u postgres -- "$@"; }
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  printf '%s\n' "$POSTGRES_PASSWORD" > /run/postgresql/pwfile
  chown postgres /run/postgresql/pwfile
  as_postgres $bin/initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile=/run/postgresql/pwfile \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f /run/postgresql/pwfile
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  as_postgres $bin/pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  as_postgres psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres \
    -c "CREATE DATABASE \"${POSTGRES_DB:-$POSTGRES_USER}\""
  for sql in /docker-entrypoint-initdb.d/*.sql; do
    [ -f "$sql" ] && as_postgres psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" \
      -d "${POSTGRES_DB:-$POSTGRES_USER}" -f "$sql"
  done
  as_postgres $bin/pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
fi
exec runuser -u postgres -- $bin/postgres -D "$PGDATA" -c listen_addresses='*'
