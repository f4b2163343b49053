#!/bin/bash
# A pg_dump (custom format) of the Alliance Bot database, checked by reading its table of contents back, then the
# dumps older than KEEP_DAYS removed. Run by alliance-bot-backup.service; prints the file it wrote.
# The database is libpq's: PGDATABASE (and PGHOST, PGUSER, … when not the local socket). The folder is BACKUP_DIR,
# or the service's StateDirectory.
set -euo pipefail

dir=${BACKUP_DIR:-${STATE_DIRECTORY:?set BACKUP_DIR}}
keep=${KEEP_DAYS:-14}
file="$dir/${PGDATABASE:-alliance}-$(date -u +%Y%m%dT%H%M%SZ).dump"

pg_dump --format=custom --file="$file.partial"
pg_restore --list "$file.partial" > /dev/null
mv "$file.partial" "$file"
find "$dir" -maxdepth 1 -name '*.dump' -mtime +"$keep" -delete
echo "$file"
