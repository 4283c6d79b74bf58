#!/usr/bin/env bash
# The cache-agent demo: the catalog service without and with the agent, side by side.
#   ./demo.sh                 build, then a 2 x (30 s warm-up + 30 s) run
#   ./demo.sh --db postgres   the service on PostgreSQL at 127.0.0.1:5432 (database test, user postgres)
#   ./demo.sh --seconds 60    any DemoRunner option (see demo-app/.../DemoRunner.java)
set -euo pipefail
cd "$(dirname "$0")"

echo "building (mvn -q -DskipTests package) ..."
mvn -B -ntp -q -DskipTests package -pl demo-app -am

redis_args=(--redis none)
redis_pid=""
cleanup() { [[ -n "$redis_pid" ]] && kill "$redis_pid" 2>/dev/null || true; }
trap cleanup EXIT
if command -v redis-server >/dev/null 2>&1; then
  # A private, empty server on a free port: nothing of earlier runs, nothing of anyone else's.
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 6391)
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >/dev/null &
  redis_pid=$!
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis_args=(--redis "redis://127.0.0.1:$port/0")
elif command -v redis-cli >/dev/null 2>&1 && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis_args=(--redis "redis://127.0.0.1:6379/0")   # keys get a per-run prefix
else
  echo "no redis-server found: the agent run uses the in-process store"
fi

java -jar demo-app/target/demo-app.jar --agent agent/target/cache-agent.jar --config config/demo.yaml \
  --out demo-app/target "${redis_args[@]}" "$@"
