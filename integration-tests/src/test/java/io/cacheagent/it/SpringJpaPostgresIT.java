package io.cacheagent.it;

import java.util.List;

/**
 * The tests of {@link SpringJpaIT} on PostgreSQL at 127.0.0.1:5432 (database test, user postgres,
 * trust; {@code .ci/run} starts or installs it), where the application recreates its tables
 * author, author_tags and book at each start.
 */
class SpringJpaPostgresIT extends SpringJpaIT {

  @Override
  List<String> jvmOptions() {
    return List.of("-Dspring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test", "-Dspring.datasource.username=postgres",
        "-Dspring.sql.init.mode=always");
  }
}
