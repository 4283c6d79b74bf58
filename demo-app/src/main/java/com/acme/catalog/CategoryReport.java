package com.acme.catalog;

import java.util.List;

/**
 * Ratings of one category: how many reviews gave 1 to 5 stars, and the best-rated products.
 *
 * @param starCounts index 0 is one star
 */
public record CategoryReport(String category, List<Long> starCounts, List<SearchHit> bestRated) {}
