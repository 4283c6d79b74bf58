package com.acme.catalog;

import java.math.BigDecimal;

/**
 * A product page: the row, its rating, and its rank by rating within its category.
 *
 * @param rankInCategory 1 for the best-rated product of the category
 */
public record Product(long id, String name, String category, BigDecimal price, double averageRating,
    int reviews, int rankInCategory) {}
