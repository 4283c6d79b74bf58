#!/usr/bin/env bash
# A find-by-id of an entity with two collections (an author with its books and tags) in a Spring
# Boot + Spring Data JPA + Hibernate 6 application on PostgreSQL, without and with the agent:
# latency p50/p99 and SQL statements per call, from 2 threads calling it for N seconds each run.
#   benchmarks/jpa.sh [seconds, default 30]      build first: mvn -B -ntp install -DskipTests
# Needs PostgreSQL at 127.0.0.1:5432 (database test, user postgres, trust); the application
# (fixtures/spring-jpa-app) recreates its tables author, author_tags and book there.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
source benchmarks/private-redis.sh
app=fixtures/spring-jpa-app/target/spring-jpa-app-exec.jar
config=$(mktemp --suffix=.yaml)
trap 'kill $redis_pid 2>/dev/null || true; rm -f "$config"' EXIT
cat > "$config" <<YAML
redis:
  uri: $redis_uri
methods:
  - method: com.acme.library.LibraryService#findAuthorWithBooks(long)
    ttl: 10m
YAML
postgres=(--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test --spring.datasource.username=postgres
  --spring.sql.init.mode=always --spring.jpa.properties.hibernate.generate_statistics=true)
echo "machine: $(nproc) cores, java $(java -version 2>&1 | head -1 | cut -d'"' -f2), $(redis-server --version | cut -d' ' -f1-3),"\
  "$(psql -h 127.0.0.1 -U postgres -d test -tAc 'select version()' | cut -d' ' -f1-2)"
echo "load: 2 threads calling LibraryService#findAuthorWithBooks(1) for ${seconds} s"
echo -n "without the agent: "
echo "load $seconds 2 1" | java -jar "$app" "${postgres[@]}" 2>&1 | grep '^load:'
echo -n "with the agent:    "
echo "load $seconds 2 1" | java -javaagent:agent/target/cache-agent.jar="$config" -jar "$app" "${postgres[@]}" 2>&1 | grep '^load:'
