#!/usr/bin/env bash
# The history checker for as long as you like: 3 JVMs x 4 threads with the agent read and write a
# shared PostgreSQL table at random (random delays), Redis is killed at a quarter of the run for 2 s
# and paused (CLIENT PAUSE ALL) at half of it for 1.5 s; no read may return a version older than one
# a write had returned before the read began. .ci/run runs it for 20 s; this, by default, for 5 min.
#   benchmarks/history.sh [seconds]      build first: mvn -B -ntp install -DskipTests
# Needs PostgreSQL at 127.0.0.1:5432 (database test, user postgres, trust), or HISTORY_JDBC_URL.
# Prints the checker's counts: reads and writes checked, stale reads, and those excused by a fault.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
rm -rf integration-tests/target/failsafe-reports
mvn -B -ntp -pl integration-tests verify -P '!java25' -Dit.test=HistoryIT -Dhistory.seconds="$seconds" \
  | grep -E "history checker|Tests run:|stale reads outside|BUILD"
