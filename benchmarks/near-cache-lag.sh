#!/usr/bin/env bash
# The near cache's invalidation lag: from a write returning in one store to another store (which
# had read the key) being told, over Redis's CLIENT TRACKING, on a private redis-server
# (or Redis Cluster).
# Build first: mvn -B -ntp -DskipTests install (the agent's test classes are used).
#   benchmarks/near-cache-lag.sh [writes, default 20000] [cluster: on a private Redis Cluster of 3 masters]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl agent test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
echo "machine: $(nproc) cores, java $(java -version 2>&1 | head -1 | cut -d'"' -f2), $(redis-server --version | cut -d' ' -f1-3)"
java -cp "agent/target/test-classes:agent/target/classes:$(cat agent/target/test-classpath.txt)" io.cacheagent.store.NearCacheLag "$@"
