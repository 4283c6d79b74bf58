package io.cacheagent.it;

import java.nio.file.Path;

/**
 * The tests of {@link SpringJpaIT} on the javax generation: Spring Boot 2.7, Spring 5.3 and
 * Hibernate 5.6 (fixtures/spring-jpa5-app, the same application with javax.persistence).
 */
class SpringJpaHibernate5IT extends SpringJpaIT {

  @Override
  Path jar() {
    return Path.of(System.getProperty("spring.jpa5.jar"));
  }
}
