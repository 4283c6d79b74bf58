#!/usr/bin/env bash
# Hits per second from 64 threads with keys spread out (JMH Throughput.hitSpread: each call one of
# 1,000 cached keys at random), on a Redis Cluster of 3 masters (3 redis-server processes with
# cluster-enabled yes, joined by redis-cli --cluster create, no replicas) and then on one
# redis-server, same machine, same JMH options. Build first: mvn -B -ntp -DskipTests package
#   benchmarks/cluster-throughput.sh [JMH options, e.g. -f 1 -wi 5 -i 5]
set -euo pipefail
cd "$(dirname "$0")/.."
out=benchmarks/target/jmh
mkdir -p "$out"
threads=${THREADS:-64}

dir=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$dir"' EXIT
seeds=()
nodes=()
for _ in 1 2 3; do
  # A port whose cluster bus port (port + 10000) is valid and free as well.
  port=$(python3 -c '
import socket
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
    if p + 10000 > 65535: continue
    b = socket.socket()
    try:
        b.bind(("127.0.0.1", p + 10000)); print(p); break
    except OSError: pass')
  (cd "$dir" && exec redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
    --cluster-enabled yes --cluster-config-file "nodes-$port.conf") >/dev/null &
  pids+=($!)
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  seeds+=("redis://127.0.0.1:$port")
  nodes+=("127.0.0.1:$port")
done
redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >/dev/null
for node in "${nodes[@]}"; do
  until redis-cli -p "${node#*:}" cluster info | grep -q cluster_state:ok; do sleep 0.1; done
done

echo "machine: $(nproc) cores, java $(java -version 2>&1 | head -1 | cut -d'"' -f2), $(redis-server --version | cut -d' ' -f1-3)"
echo "== Redis Cluster, 3 masters: $threads threads"
(IFS=,; echo "${seeds[*]}") > "$out/redis-uri"
cat > "$out/bench.yaml" <<YAML
redis:
  cluster: [$(IFS=,; echo "${seeds[*]}" | sed 's/,/, /g')]
  keyPrefix: bench
methods:
  - method: io.cacheagent.bench.Catalog#find(long)
YAML
java -jar benchmarks/target/benchmarks.jar 'Throughput.hitSpread' -t "$threads" -rf json -rff "$out/cluster-throughput.json" "$@" \
  2>>"$out/cluster-throughput.log" | grep -E '^(Benchmark|Throughput)'

echo "== one redis-server: $threads threads"
benchmarks/jmh.sh 'Throughput.hitSpread' -t "$threads" "$@" 2>>"$out/cluster-throughput.log" | grep -E '^(Benchmark|Throughput)'
