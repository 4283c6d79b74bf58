#!/usr/bin/env bash
# JMH benchmarks of the agent against a private redis-server: hit vs the same read written by hand
# (Lettuce GET + Kryo decode), a near-cache hit vs a hand-written Caffeine lookup + Kryo decode, miss of a 1 ms method vs the same miss written by hand and vs the
# method not configured, a method switched off or not listed vs no agent, key derivation, signing
# and hashed keys (EntrySigningCost), and
# Throughput (one thread here; benchmarks/throughput.sh runs more), and Batches (a batch method
# asked for 100 ids, 90 cached, beside the query alone and 100 single cached calls). Build first: mvn -B -ntp -DskipTests package
#   benchmarks/jmh.sh                  everything, then JetCache's hit beside its own hand-written read
#   benchmarks/jmh.sh [JMH options]    the agent's benchmarks only (e.g. WithAgent -f 1 -wi 3 -i 3)
#   benchmarks/jmh.sh jetcache [JMH options]   JetCache's only
# Results: the tables on standard output, JSON in benchmarks/target/jmh/results.json and jetcache-results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
out=benchmarks/target/jmh
mkdir -p "$out"

source benchmarks/private-redis.sh
echo "$redis_uri" > "$out/redis-uri"
cat > "$out/bench.yaml" <<YAML
redis:
  uri: $redis_uri
  keyPrefix: bench
methods:
  - method: io.cacheagent.bench.Catalog#find(long)
  - method: io.cacheagent.bench.Catalog#findNear(long)
    nearCache: {maxEntries: 10000, ttl: 1m}
  - method: io.cacheagent.bench.Catalog#findShared(long)
    nearCache: {maxEntries: 10000, ttl: 1m, shareInstances: true}
  - method: io.cacheagent.bench.Catalog#findSwitchedOff(long)
    enabled: false
  - method: io.cacheagent.bench.Catalog#load(long)
    ttl: 30s
  - method: io.cacheagent.bench.Catalog#loadAll(java.util.List)
    batch: args[0]
    ttl: 10m
YAML

echo "machine: $(nproc) cores, java $(java -version 2>&1 | head -1 | cut -d'"' -f2), $(redis-server --version | cut -d' ' -f1-3)"
# JetCache has its own class path (it brings Lettuce 6.3 and Netty 4.1): benchmarks/jetcache.
jetcache() {
  java -cp "benchmarks/jetcache/target/benchmarks-jetcache-0.1.0-SNAPSHOT.jar:$(cat benchmarks/jetcache/target/classpath.txt)" \
    org.openjdk.jmh.Main -rf json -rff "$out/jetcache-results.json" "$@"
}
if [ "${1:-}" = jetcache ]; then
  shift
  jetcache "$@"
  exit
fi
java -jar benchmarks/target/benchmarks.jar -rf json -rff "$out/results.json" "$@"
if [ $# -eq 0 ]; then
  jetcache
fi
