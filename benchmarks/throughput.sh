#!/usr/bin/env bash
# Cached calls per second that hit, from 1, 8 and 64 threads, platform and virtual (virtual threads
# need Java 21+: JAVA25 names that JDK's java), beside redis-benchmark with 50 connections and no
# pipelining against a private redis-server of the same build. Build first: mvn -B -ntp -DskipTests package
#   benchmarks/throughput.sh [JMH options, e.g. -f 1 -wi 3 -i 3 for a quick look]
# Results: one table per run below (the agent's log in benchmarks/target/jmh/throughput.log), JSON in benchmarks/target/jmh/throughput-<threads>-<kind>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
out=benchmarks/target/jmh
java25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}

for threads in 1 8 64; do
  echo "== $threads platform threads"
  benchmarks/jmh.sh Throughput -t "$threads" "$@" 2>>"$out/throughput.log" | grep -E '^(Benchmark|Throughput)'
  mv "$out/results.json" "$out/throughput-$threads-platform.json"
  echo "== $threads virtual threads ($("$java25" -version 2>&1 | head -1 | cut -d'"' -f2))"
  benchmarks/jmh.sh Throughput -t "$threads" -jvm "$java25" -jvmArgsPrepend -Djmh.executor=VIRTUAL "$@" 2>>"$out/throughput.log" \
    | grep -E '^(Benchmark|Throughput)'
  mv "$out/results.json" "$out/throughput-$threads-virtual.json"
done

source benchmarks/private-redis.sh
# A value of the size the agent stores for Catalog.Item (about 40 bytes); -r spreads GETs over keys that exist.
redis-benchmark -p "$redis_port" -t set -n 100000 -r 1000 -d 40 -q >/dev/null
for _ in 1 2 3; do
  echo "redis-benchmark -c 50 -P 1: $(redis-benchmark -p "$redis_port" -c 50 -P 1 -t get -n 300000 -r 1000 -d 40 -q | tr '\r' '\n' | tail -2 | head -1)"
done
