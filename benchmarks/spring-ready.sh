#!/usr/bin/env bash
# Start-to-ready of a Spring Boot executable jar without and with the agent, in paired rounds,
# against a private redis-server (its address overrides the configuration's redis.uri).
# Build first: mvn -B -ntp -DskipTests package
#   benchmarks/spring-ready.sh APP.jar CONFIG.yaml [rounds, default 8] [application arguments...]
# An application that logs below info needs --logging.level.<its package>=info: ready is its
# "Started ... (process running for N)" line.
set -euo pipefail
app_jar=$(realpath "$1")
config=$(realpath "$2")
cd "$(dirname "$0")/.."
source benchmarks/private-redis.sh
echo "machine: $(nproc) cores, java $(java -version 2>&1 | head -1 | cut -d'"' -f2), $(redis-server --version | cut -d' ' -f1-3)"
CACHE_AGENT_REDIS_URI="$redis_uri" java -cp benchmarks/target/benchmarks.jar io.cacheagent.bench.startup.SpringReadyTimes \
  "$(realpath agent/target/cache-agent.jar)" "$app_jar" "$config" "${3:-8}" "${@:4}"
