#!/bin/bash
# The trial of docs/deploy.md on one machine, from the repository's root: two `alliance-bot serve` replicas on one
# PostgreSQL database behind nginx with deploy/nginx/alliance-bot.conf, the fake Telegram and Slack APIs of the
# tests in place of the platforms. Signed webhooks are posted through nginx while both replicas are restarted one
# after the other (a rolling restart) and the one that dispatches is killed; then every answer, the nginx and
# replica logs, the inbox and the outbox are counted, a backup is restored, and everything is removed again.
#
#   deploy/try-local.sh            needs nginx, psql/pg_dump, curl, openssl, the virtual environment (make), and
#                                  PostgreSQL on 127.0.0.1:5432 that lets the user postgres in without a password
#   KEEP_TRIAL=1 deploy/try-local.sh   keeps the scratch folder (logs, configuration) and says where it is
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/.venv/bin
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p 5432 -U postgres)
DB=alliance_trial_$$
NGINX_PORT=8080
FAKES_PORT=8089
TG_SECRET=trial-telegram-secret-$RANDOM$RANDOM
SLACK_SECRET=trial-slack-signing-$RANDOM$RANDOM
IN_FLIGHT=6  # webhooks posted at once
PAUSE=0.04   # seconds between two posts

say() { printf '%s\n' "$*"; }
step() { printf '\n== %s\n' "$*"; }
fail() {
    printf 'try-local: %s\n' "$*" >&2
    exit 1
}
need() { command -v "$1" > /dev/null || fail "needs $1 ($2)"; }

need nginx "apt-get install -y nginx"
need psql "apt-get install -y postgresql-client"
need pg_dump "apt-get install -y postgresql-client"
need curl "apt-get install -y curl"
need openssl "apt-get install -y openssl"
[ -x "$BIN/alliance-bot" ] || make --no-print-directory .venv/.installed-stamp
pg_isready -q -h 127.0.0.1 -p 5432 || fail "no PostgreSQL on 127.0.0.1:5432"
for port in $NGINX_PORT 8081 8082 $FAKES_PORT; do
    if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then fail "port $port is already in use"; fi
done

WORK=$(mktemp -d -t alliance-trial.XXXXXX)
chmod 755 "$WORK" # nginx's workers read and write below it
declare -A PID=()

cleanup() {
    local status=$?
    set +e
    for name in "${!PID[@]}"; do kill -TERM "${PID[$name]}" 2> /dev/null; done
    for name in "${!PID[@]}"; do wait "${PID[$name]}" 2> /dev/null; done
    "${PSQL[@]}" -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
        -c "DROP DATABASE IF EXISTS ${DB}_restored WITH (FORCE)"
    if [ "${KEEP_TRIAL:-}" = 1 ]; then say "kept: $WORK"; else rm -rf "$WORK"; fi
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --------------------------------------------------------------------------------------------------------------
step "database $DB on 127.0.0.1:5432: migrated, then the demo roster with every person linked on both platforms"
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB"
cat > "$WORK/alliance-bot.env" << EOF
DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/$DB
TELEGRAM_BOT_TOKEN=123456:trial
TELEGRAM_WEBHOOK_SECRET=$TG_SECRET
TELEGRAM_WEBHOOK_URL=https://bot.example.org/telegram/webhook
TELEGRAM_API_BASE_URL=http://127.0.0.1:$FAKES_PORT/telegram/bot
SLACK_BOT_TOKEN=xoxb-trial
SLACK_SIGNING_SECRET=$SLACK_SECRET
SLACK_APP_TOKEN=
SLACK_API_BASE_URL=http://127.0.0.1:$FAKES_PORT/slack/api/
EOF

# A command as the systemd units run it: only the env file's settings, in a folder without a .env file.
bot() {
    (cd "$WORK" && exec env -i PATH="$PATH" HOME="$WORK" LANG=C.UTF-8 bash -c \
        'set -a; . ./alliance-bot.env; set +a; exec "$0" "$@"' "$BIN/alliance-bot" "$@")
}

bot db upgrade 2>&1
# The demo roster, each person given a Telegram id (7001…) and a Slack id (UTRIAL01…) in the roster's own columns.
awk -F, -v OFS=, 'NR > 1 { $10 = sprintf("UTRIAL%02d", NR - 1); $11 = 7000 + NR - 1 } { print }' \
    bot/demo/people.csv > "$WORK/people.csv"
PEOPLE=$(($(wc -l < "$WORK/people.csv") - 1))
bot roster import "$WORK/people.csv" --sites "$ROOT/bot/demo/sites.csv" \
    --preferences "$ROOT/bot/demo/preferences.csv" 2>&1

# --------------------------------------------------------------------------------------------------------------
step "the fake Bot API and Web API (tests/bot/fakes) on 127.0.0.1:$FAKES_PORT"
(cd "$WORK" && exec "$BIN/python" "$ROOT/bench/throughput.py" --role fakes --port $FAKES_PORT) \
    > "$WORK/fakes.log" 2>&1 &
PID[fakes]=$!

start_replica() { # N: `alliance-bot serve` on 127.0.0.1:808N, as alliance-bot@N.service starts it
    (cd "$WORK" && exec env -i PATH="$PATH" HOME="$WORK" LANG=C.UTF-8 bash -c \
        'set -a; . ./alliance-bot.env; set +a; exec "$0" serve --host 127.0.0.1 --port "$1"' \
        "$BIN/alliance-bot" "808$1") >> "$WORK/replica-$1.log" 2>&1 &
    PID[replica$1]=$!
}

wait_healthy() { # N: until replica N's /healthz answers with Telegram reached (its webhook is then accepted)
    local deadline=$((SECONDS + 90))
    until curl -fsS "http://127.0.0.1:808$1/healthz" 2> /dev/null | grep -q '"telegram":"up"'; do
        kill -0 "${PID[replica$1]}" 2> /dev/null || fail "replica $1 exited: $(tail -n 5 "$WORK/replica-$1.log")"
        [ $SECONDS -lt $deadline ] || fail "replica $1 not healthy after 90 s"
        sleep 0.2
    done
}

stop_replica() { # N SIGNAL: what `systemctl stop` (TERM) or a crash (KILL) does to replica N
    kill "-$2" "${PID[replica$1]}"
    { wait "${PID[replica$1]}" || true; } 2> /dev/null
    unset "PID[replica$1]"
}

leader() { # which replica dispatches and runs the scheduler, by its /healthz
    local n
    for n in 1 2; do
        if curl -fsS "http://127.0.0.1:808$n/healthz" 2> /dev/null | grep -q '"dispatching":true'; then
            echo "$n"
            return
        fi
    done
    echo none
}

step "two replicas, on 127.0.0.1:8081 and :8082"
start_replica 1
start_replica 2
wait_healthy 1
wait_healthy 2
say "replica 1: $(curl -fsS http://127.0.0.1:8081/healthz)"
say "replica 2: $(curl -fsS http://127.0.0.1:8082/healthz)"

# --------------------------------------------------------------------------------------------------------------
step "nginx on 127.0.0.1:$NGINX_PORT with deploy/nginx/alliance-bot.conf (its own prefix, pid and logs)"
mkdir -p "$WORK/nginx/snippets" "$WORK/nginx/temp"
cat > "$WORK/nginx/nginx.conf" << EOF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
events { worker_connections 256; }
http {
    client_body_temp_path $WORK/nginx/temp/body;
    proxy_temp_path $WORK/nginx/temp/proxy;
    fastcgi_temp_path $WORK/nginx/temp/fastcgi;
    uwsgi_temp_path $WORK/nginx/temp/uwsgi;
    scgi_temp_path $WORK/nginx/temp/scgi;
    include $ROOT/deploy/nginx/alliance-bot.conf;
}
EOF
# The machine's own part (snippets/alliance-bot-listen.conf): plain HTTP on localhost instead of 443 with TLS.
cat > "$WORK/nginx/snippets/alliance-bot-listen.conf" << EOF
listen 127.0.0.1:$NGINX_PORT;
access_log $WORK/nginx/access.log alliance_bot;
error_log $WORK/nginx/error.log;
EOF
NGINX=(nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log")
"${NGINX[@]}" -t -q
"${NGINX[@]}" -g 'daemon off;' &
PID[nginx]=$!
deadline=$((SECONDS + 20))
until curl -fsS "http://127.0.0.1:$NGINX_PORT/healthz" > /dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "nginx did not answer"
    sleep 0.1
done
say "through nginx: $(curl -fsS http://127.0.0.1:$NGINX_PORT/healthz)"

# --------------------------------------------------------------------------------------------------------------
# Webhooks as the platforms send them: a Telegram update with the secret header, a Slack event signed with v0.
post_telegram() { # SERIAL USER
    local body
    body=$(printf '{"update_id":%d,"message":{"message_id":%d,"date":%d,"chat":{"id":%d,"type":"private","first_name":"T"},"from":{"id":%d,"is_bot":false,"first_name":"T","language_code":"en"},"text":"/help"}}' \
        "$((500000 + $1))" "$1" "$(date +%s)" "$2" "$2")
    curl -sS -o /dev/null --max-time 90 -w "telegram $((500000 + $1)) %{http_code} %{time_total}\n" \
        -H "Content-Type: application/json" -H "X-Telegram-Bot-Api-Secret-Token: $TG_SECRET" \
        --data-binary "$body" "http://127.0.0.1:$NGINX_PORT/telegram/webhook"
}

post_slack() { # SERIAL USER (U…; the direct message's channel is D…)
    local stamp body signature
    stamp=$(date +%s)
    body=$(printf '{"token":"t","team_id":"T1","api_app_id":"A1","type":"event_callback","event":{"type":"message","channel_type":"im","user":"%s","channel":"D%s","text":"/help","ts":"%d.%06d"},"event_id":"EvTRIAL%06d","event_time":%d}' \
        "$2" "${2:1}" "$stamp" "$1" "$1" "$stamp")
    signature=v0=$(printf 'v0:%s:%s' "$stamp" "$body" | openssl dgst -sha256 -hmac "$SLACK_SECRET" -r | cut -d' ' -f1)
    curl -sS -o /dev/null --max-time 90 -w "slack EvTRIAL$(printf %06d "$1") %{http_code} %{time_total}\n" \
        -H "Content-Type: application/json" -H "X-Slack-Request-Timestamp: $stamp" \
        -H "X-Slack-Signature: $signature" \
        --data-binary "$body" "http://127.0.0.1:$NGINX_PORT/slack/events"
}

post_one() { # SERIAL: Telegram for even serials, Slack for odd ones, the people in turn
    local person=$(($1 / 2 % PEOPLE + 1))
    if (($1 % 2 == 0)); then
        post_telegram "$1" "$((7000 + person))"
    else
        post_slack "$1" "$(printf UTRIAL%02d "$person")"
    fi
}

stream() { # until $WORK/stop exists; every 20th webhook twice at once, as a platform that retries does
    local serial=0
    while [ ! -e "$WORK/stop" ]; do
        serial=$((serial + 1))
        post_one "$serial" >> "$WORK/posts.txt" 2>> "$WORK/curl.log" &
        if ((serial % 20 == 0)); then post_one "$serial" >> "$WORK/posts.txt" 2>> "$WORK/curl.log" & fi
        while (($(jobs -rp | wc -l) >= IN_FLIGHT)); do wait -n || true; done
        sleep "$PAUSE"
    done
    wait
}

posted() { if [ -e "$WORK/posts.txt" ]; then wc -l < "$WORK/posts.txt"; else echo 0; fi; }
wait_posts() { # N more answers than now
    local target=$(($(posted) + $1))
    while (($(posted) < target)); do sleep 0.1; done
}

step "signed webhooks through nginx; meanwhile a rolling restart, then the dispatching replica killed"
: > "$WORK/posts.txt"
stream &
PID[stream]=$!
wait_posts 80
migrated=$(bot db upgrade 2> /dev/null)
say "$(posted) answered; migrate, as alliance-bot-migrate.service does: $migrated"
for n in 1 2; do
    stop_replica $n TERM
    say "$(posted) answered; replica $n stopped (SIGTERM, as systemctl stop)"
    start_replica $n
    wait_healthy $n
    say "$(posted) answered; replica $n started again and healthy"
    wait_posts 40
done
victim=$(leader)
[ "$victim" != none ] || fail "no replica says it dispatches"
other=$((3 - victim))
killed_at=$(date +%s.%N)
KILLED_MONOTONIC=$("$BIN/python" -c 'import time; print(time.monotonic())') # the fakes' clock for arrivals
stop_replica "$victim" KILL
say "$(posted) answered; replica $victim (the one dispatching) killed with SIGKILL"
deadline=$((SECONDS + 120))
until curl -fsS "http://127.0.0.1:808$other/healthz" 2> /dev/null | grep -q '"dispatching":true'; do
    [ $SECONDS -lt $deadline ] || fail "replica $other did not take over in 120 s"
    sleep 0.2
done
say "$(posted) answered; replica $other dispatching, $(awk -v a="$killed_at" -v b="$(date +%s.%N)" \
    'BEGIN { printf "%.1f", b - a }') s after the kill"
start_replica "$victim" # what Restart=always does
wait_healthy "$victim"
say "$(posted) answered; replica $victim started again and healthy; dispatching now: replica $(leader)"
wait_posts 80
touch "$WORK/stop"
wait "${PID[stream]}"
unset "PID[stream]"

deadline=$((SECONDS + 120))
until curl -fsS "http://127.0.0.1:$NGINX_PORT/healthz" | grep -q '"outbox_backlog":0'; do
    [ $SECONDS -lt $deadline ] || fail "the outbox did not drain in 120 s"
    sleep 0.5
done
say "outbox drained: $(curl -fsS http://127.0.0.1:$NGINX_PORT/healthz)"

# --------------------------------------------------------------------------------------------------------------
step "what every webhook got"
awk '{ n[$3]++ } END { for (s in n) printf "  HTTP %s: %d\n", s, n[s] }' "$WORK/posts.txt"
TOTAL=$(wc -l < "$WORK/posts.txt")
OK=$(awk '$3 == 200' "$WORK/posts.txt" | wc -l)
cut -d' ' -f1,2 "$WORK/posts.txt" | sort -u > "$WORK/events.txt"
EVENTS=$(wc -l < "$WORK/events.txt")
say "  $TOTAL posts of $EVENTS events ($((TOTAL - EVENTS)) posted twice at once), $OK answered 200"
say "  slowest answers (s): $(sort -k4 -n -r "$WORK/posts.txt" | head -n 3 | awk '{ printf "%s ", $4 }')"
[ ! -s "$WORK/curl.log" ] || say "  curl said: $(sort "$WORK/curl.log" | uniq -c | head -n 5)"

step "who answered: nginx's access log and the replicas' logs"
grep -E '"POST /(telegram/webhook|slack/events)' "$WORK/nginx/access.log" > "$WORK/webhooks.log" || true
say "  nginx: webhook requests by the replica that answered them (the last address when it tried two):"
sed -E 's/.*upstream=([^ ]+, )?([^ ]+) upstream_status=.*/\2/' "$WORK/webhooks.log" | sort | uniq -c |
    awk '{ printf "    %s  %d\n", $2, $1 }'
RETRIED=$(grep -c 'upstream=[^ ]*, ' "$WORK/webhooks.log" || true)
say "  nginx: $RETRIED sent to the other replica after the first failed; their first → final status:"
grep 'upstream=[^ ]*, ' "$WORK/webhooks.log" | sed -E 's/.*upstream_status=([^ ]+), ([^ ]+) .*/\1 → \2/' |
    sort | uniq -c | awk '{ printf "    %s %s %s  %d\n", $2, $3, $4, $1 }' || true
say "  nginx's error log, why a replica failed a request:"
sed -nE 's/.*\[error\] [0-9#]+: \*[0-9]+ ([^,]*) while [^,]*,.*/\1/p' "$WORK/nginx/error.log" | sort | uniq -c |
    awk '{ n = $1; $1 = ""; printf "    %s  %d\n", substr($0, 2), n }'
for n in 1 2; do
    answered=$(grep -cE '"POST /(telegram/webhook|slack/events) HTTP/1.1" 200' "$WORK/replica-$n.log")
    say "  replica $n's log: $answered webhooks answered 200"
done

step "the inbox and the outbox (PostgreSQL)"
"${PSQL[@]}" -d "$DB" -At -F' ' -c "SELECT platform, event_id FROM inboxevent ORDER BY 1, 2" > "$WORK/inbox.txt"
MISSING=$(comm -23 "$WORK/events.txt" <(sort "$WORK/inbox.txt") | wc -l)
TWICE=$(sort "$WORK/inbox.txt" | uniq -d | wc -l)
say "  inbox: $(wc -l < "$WORK/inbox.txt") rows for $EVENTS events posted; missing $MISSING; recorded twice $TWICE"
read -r ROWS SENT PEOPLE_REACHED < <("${PSQL[@]}" -d "$DB" -At -F' ' -c \
    "SELECT count(*), count(*) FILTER (WHERE status = 'sent'), count(DISTINCT person_id) FROM outboxmessage")
say "  outbox: $ROWS replies written, $SENT sent, to $PEOPLE_REACHED people"
STATS=$(curl -fsS "http://127.0.0.1:$FAKES_PORT/_stats")
calls() { "$BIN/python" -c "import json, sys; c = json.loads(sys.argv[1])['calls']; print($1)" "$STATS"; }
say "  the fakes received: $(calls '", ".join(f"{m} {n}" for m, n in sorted(c.items()))')"
AT_FAKES=$(calls 'c.get("sendMessage", 0) + c.get("chat.postMessage", 0)')
say "  messages at the fakes: $AT_FAKES for $SENT sent: $((AT_FAKES - SENT)) went out twice"
if ((AT_FAKES > SENT)); then # which chats, and how close to the kill their messages arrived
    "${PSQL[@]}" -d "$DB" -At -F' ' -c "SELECT CASE platform WHEN 'telegram' THEN 'tg:' ELSE 'sl:' END || chat_id,
        count(*) FROM outboxmessage WHERE status = 'sent' GROUP BY 1" |
        "$BIN/python" -c '
import json, sys, urllib.request
fakes, killed, stats = sys.argv[1], float(sys.argv[2]), json.loads(sys.argv[3])["chats"]
sent = dict(line.split() for line in sys.stdin)
for chat, n in sorted(stats.items()):
    if n > int(sent.get(chat, 0)):
        arrivals = json.load(urllib.request.urlopen(f"{fakes}/_wait?chat={chat}&n=0"))
        near = min(arrivals, key=lambda at: abs(at - killed)) - killed
        print(f"    {chat}: {n} messages for {sent.get(chat, 0)} sent; the one nearest the kill came {near:+.1f} s after it")
' "http://127.0.0.1:$FAKES_PORT" "$KILLED_MONOTONIC" "$STATS"
fi

# --------------------------------------------------------------------------------------------------------------
step "body size: the limit of nginx is the bot's (1 MiB)"
big() { # BYTES: a JSON object of exactly that many bytes to the Telegram webhook
    "$BIN/python" -c 'import sys; n = int(sys.argv[1]); sys.stdout.write("{\"x\":\"" + "a" * (n - 8) + "\"}")' "$1" > "$WORK/big.json"
    curl -sS -o /dev/null -w '%{http_code}' -H "Content-Type: application/json" \
        -H "X-Telegram-Bot-Api-Secret-Token: $TG_SECRET" --data-binary "@$WORK/big.json" \
        "http://127.0.0.1:$NGINX_PORT/telegram/webhook"
}
say "  1,048,576 bytes: $(big 1048576) (the bot's answer: an object without update_id)"
say "  1,048,577 bytes: $(big 1048577) (nginx's)"

step "backup and restore (deploy/alliance-bot-backup.sh, pg_restore)"
mkdir "$WORK/backups"
DUMP=$(BACKUP_DIR="$WORK/backups" PGHOST=127.0.0.1 PGUSER=postgres PGDATABASE="$DB" deploy/alliance-bot-backup.sh)
say "  $(basename "$DUMP"): $(du -k "$DUMP" | cut -f1) KiB"
"${PSQL[@]}" -d postgres -c "CREATE DATABASE ${DB}_restored"
pg_restore --no-owner --exit-on-error -h 127.0.0.1 -U postgres -d "${DB}_restored" "$DUMP"
COUNTS="SELECT 'migration ' || (SELECT version_num FROM alembic_version)
    || ', ' || (SELECT count(*) FROM person) || ' people, ' || (SELECT count(*) FROM inboxevent) || ' inbox rows, '
    || (SELECT count(*) FROM outboxmessage) || ' outbox rows'"
for db in "$DB" "${DB}_restored"; do
    say "  $db: $("${PSQL[@]}" -d "$db" -At -c "$COUNTS")"
done

# --------------------------------------------------------------------------------------------------------------
step "result"
if [ "$OK" = "$TOTAL" ] && [ "$MISSING" = 0 ] && [ "$TWICE" = 0 ]; then
    say "  every webhook got 200 and is in the inbox once: $EVENTS events ($TOTAL posts), both replicas answered"
else
    fail "  $((TOTAL - OK)) posts without 200, $MISSING events missing from the inbox, $TWICE recorded twice"
fi
