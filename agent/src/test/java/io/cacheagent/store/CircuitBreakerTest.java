package io.cacheagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final CircuitBreaker breaker = new CircuitBreaker("redis test", now::get);

  @Test
  void closed_allowsEveryRead_andFewerFailuresThanTheThresholdKeepItClosed() {
    breaker.failure();
    breaker.failure();
    breaker.success();
    breaker.failure();
    breaker.failure();

    assertThat(breaker.isOpen()).isFalse();
    assertThat(breaker.allowRequest()).isTrue();
  }

  @Test
  void consecutiveFailures_openIt_andReadsAreRefusedUntilTheOpenPeriodEnds() {
    for (int i = 0; i < CircuitBreaker.FAILURES_TO_OPEN; i++) {
      breaker.failure();
    }

    assertThat(breaker.isOpen()).isTrue();
    assertThat(breaker.allowRequest()).isFalse();
    now.addAndGet(CircuitBreaker.OPEN_NANOS - 1);
    assertThat(breaker.allowRequest()).isFalse();
  }

  @Test
  void afterTheOpenPeriod_exactlyOneProbe_andItsSuccessCloses() {
    open();
    now.addAndGet(CircuitBreaker.OPEN_NANOS);

    assertThat(breaker.allowRequest()).isTrue();
    assertThat(breaker.allowRequest()).as("a second read while the probe is out").isFalse();
    breaker.success();
    assertThat(breaker.isOpen()).isFalse();
    assertThat(breaker.allowRequest()).isTrue();
  }

  @Test
  void failedProbe_reopensForAnotherPeriod() {
    open();
    now.addAndGet(CircuitBreaker.OPEN_NANOS);
    assertThat(breaker.allowRequest()).isTrue();

    breaker.failure();

    assertThat(breaker.allowRequest()).isFalse();
    now.addAndGet(CircuitBreaker.OPEN_NANOS);
    assertThat(breaker.allowRequest()).isTrue();
  }

  private void open() {
    for (int i = 0; i < CircuitBreaker.FAILURES_TO_OPEN; i++) {
      breaker.failure();
    }
  }
}
