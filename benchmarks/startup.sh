#!/usr/bin/env bash
# Start-up cost of the agent: JVM start to main, to the first call of a configured method, and to
# the first call served by the cache, with 1, 20 and 200 configured methods beside no agent, in
# paired rounds, against a private redis-server. Build first: mvn -B -ntp -DskipTests package
#   benchmarks/startup.sh [rounds, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p benchmarks/target/startup
source benchmarks/private-redis.sh
echo "machine: $(nproc) cores, java $(java -version 2>&1 | head -1 | cut -d'"' -f2), $(redis-server --version | cut -d' ' -f1-3)"
java -cp benchmarks/target/benchmarks.jar io.cacheagent.bench.startup.StartupTimes \
  agent/target/cache-agent.jar "$redis_uri" "${1:-20}"
