#!/usr/bin/env bash
# The demo's catalog service with cache-agent under the demo's load (16 clients, 50 ms think time)
# while its own redis-server fails in the middle: by default killed at second 10 of 30 and started
# again (empty) 10 s later. Prints every second, then requests made and failed, latency before,
# during and after, and how soon caching resumed; writes demo-app/target/outage-report.json.
#   benchmarks/redis-outage.sh                  kill for 10 s
#   benchmarks/redis-outage.sh --fault pause    CLIENT PAUSE for 10 s (Redis hangs, connections stay)
#   benchmarks/redis-outage.sh --topology cluster   a Redis Cluster (3 masters, 3 replicas): the master
#                                               of the most keys killed at second 10, restarted 10 s later
#   any other OutageRunner option (demo-app/src/main/java/io/cacheagent/demo/OutageRunner.java)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v redis-server >/dev/null || { echo "needs redis-server (apt-get install redis-server)"; exit 1; }
echo "building (mvn -q -DskipTests package) ..."
mvn -B -ntp -q -DskipTests package -pl demo-app -am
java -cp demo-app/target/demo-app.jar io.cacheagent.demo.OutageRunner --agent agent/target/cache-agent.jar \
  --config config/demo.yaml --out demo-app/target "$@"
