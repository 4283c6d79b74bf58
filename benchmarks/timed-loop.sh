#!/usr/bin/env bash
# Hit, miss and plain-call latency from one thread, and JVM start-to-main time, with and without
# cache-agent, against a private redis-server. Build the agent first (mvn -B -ntp -DskipTests package).
#   benchmarks/timed-loop.sh [calls per round, default 20000]
set -euo pipefail
cd "$(dirname "$0")/.."
agent=agent/target/cache-agent.jar
out=benchmarks/target/timed-loop
mkdir -p "$out"
javac -d "$out" benchmarks/timed-loop/io/cacheagent/bench/TimedLoop.java

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no >/dev/null &
redis_pid=$!
trap 'kill $redis_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
cat > "$out/timed-loop.yaml" <<YAML
redis:
  uri: redis://127.0.0.1:$port/0
methods:
  - method: io.cacheagent.bench.TimedLoop#cached(long)
  - method: io.cacheagent.bench.TimedLoop#missed(long)
    ttl: 30s
YAML

echo "latency, one thread (java $(java -version 2>&1 | head -1 | cut -d'"' -f2), $(redis-server --version | cut -d' ' -f3)):"
java -javaagent:"$agent"="$out/timed-loop.yaml" -cp "$out" io.cacheagent.bench.TimedLoop run "${1:-20000}" 4000 2>/dev/null

mean() { awk '{s+=$1} END {printf "%.0f ms\n", s/NR}'; }
echo "JVM start to main, mean of 8 runs:"
echo -n "  no agent:                 "; for _ in $(seq 8); do java -cp "$out" io.cacheagent.bench.TimedLoop start "$(date +%s%3N)"; done | mean
echo -n "  cache-agent, 2 methods:   "; for _ in $(seq 8); do java -javaagent:"$agent"="$out/timed-loop.yaml" -cp "$out" io.cacheagent.bench.TimedLoop start "$(date +%s%3N)" 2>/dev/null; done | mean
