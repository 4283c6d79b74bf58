package com.acme.catalog;

import java.util.concurrent.TimeUnit;

/**
 * A client of a remote shipping-estimate service. The remote side is simulated: each call waits
 * {@link #LATENCY_MILLIS}, as a call across the network to a slow service does.
 */
public class ShippingClient {

  /** Simulated round trip of the remote service, in milliseconds. */
  static final long LATENCY_MILLIS = 40;

  public int daysToDeliver(String category) throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(LATENCY_MILLIS);
    return 1 + Math.abs(category.hashCode() % 5);
  }
}
