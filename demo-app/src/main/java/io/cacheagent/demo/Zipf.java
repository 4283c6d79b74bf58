package io.cacheagent.demo;

import java.util.Arrays;
import java.util.Random;

/** Draws 1..n with Zipf-distributed popularity: rank k is drawn with weight 1/k^s. */
final class Zipf {

  private final double[] cumulative;

  Zipf(int n, double exponent) {
    cumulative = new double[n];
    double sum = 0;
    for (int k = 1; k <= n; k++) {
      sum += 1 / Math.pow(k, exponent);
      cumulative[k - 1] = sum;
    }
    for (int i = 0; i < n; i++) {
      cumulative[i] /= sum;
    }
  }

  /** A value in 1..n. */
  int next(Random random) {
    int index = Arrays.binarySearch(cumulative, random.nextDouble());
    return (index >= 0 ? index : -index - 1) + 1;
  }
}
