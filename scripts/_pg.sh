# Shared by scripts/backup and scripts/restore: check DATABASE_URL and find PostgreSQL's client programs.
# Sourced, not executed.

if [ -z "${DATABASE_URL:-}" ]; then
    echo "DATABASE_URL is not set: name the PostgreSQL database, e.g. postgres://user@host:5432/speakpro" >&2
    exit 2
fi
case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *)
        echo "DATABASE_URL is not a PostgreSQL URL (${DATABASE_URL%%:*}://...): only PostgreSQL is backed up this way." >&2
        echo "An SQLite database is one file: copy it while nothing writes (or use sqlite3's .backup)." >&2
        exit 2
        ;;
esac
# libpq reads postgres:// and postgresql:// alike; dj-database-url's extra query options are not libpq's.
PG_URL="${DATABASE_URL%%\?*}"

# pg_dump refuses a server newer than itself, so take the newest installed client unless PG_BIN names one
# (Debian keeps each major version's programs in /usr/lib/postgresql/<major>/bin).
pg_program() {
    local name="$1" newest
    if [ -n "${PG_BIN:-}" ]; then
        echo "$PG_BIN/$name"
        return
    fi
    newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n | tail -1)"
    if [ -n "$newest" ] && [ -x "$newest/$name" ]; then
        echo "$newest/$name"
    else
        command -v "$name" || { echo "$name not found: install PostgreSQL's client programs or set PG_BIN" >&2; exit 2; }
    fi
}
