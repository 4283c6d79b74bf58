package com.acme.catalog;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The "legacy" catalog service of the demo: the JDK's HTTP server over JDBC. It knows nothing of
 * cache-agent. Endpoints (answers are plain text, one value per line):
 *
 * <pre>
 *   GET  /product?id=42              the product page (database + shipping estimate)
 *   GET  /search?q=oak               products whose description mentions the term
 *   GET  /report?category=category-3 ratings of a category
 *   POST /price?id=42&amp;value=19.99    change a price
 *   POST /delete?id=42               delete a product
 *   GET  /stats                      statements run so far: reads and writes
 * </pre>
 */
public final class CatalogService {

  private final ProductDao dao = new ProductDao();
  private final ShippingClient shipping = new ShippingClient();

  private CatalogService() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    CatalogDatabase.seed();
    System.out.println("database: " + CatalogDatabase.describe());
    CatalogService service = new CatalogService();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.createContext("/", service::handle);
    server.start();
    System.out.println("listening on " + port);
  }

  private void handle(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    String body;
    int status = 200;
    try {
      body = switch (exchange.getRequestURI().getPath()) {
        case "/product" -> product(Long.parseLong(query.get("id")));
        case "/search" -> String.valueOf(dao.search(query.get("q")));
        case "/report" -> String.valueOf(dao.report(query.get("category")));
        case "/price" -> {
          dao.updatePrice(Long.parseLong(query.get("id")), new BigDecimal(query.get("value")));
          yield "ok";
        }
        case "/delete" -> {
          dao.delete(Long.parseLong(query.get("id")));
          yield "ok";
        }
        case "/stats" -> ProductDao.READ_QUERIES.get() + " " + ProductDao.WRITE_QUERIES.get();
        default -> {
          status = 404;
          yield "no such endpoint";
        }
      };
    } catch (Exception e) {
      status = 500;
      body = e.toString();
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private String product(long id) throws Exception {
    Product product = dao.findById(id);
    if (product == null) {
      return "null";
    }
    return product.id() + "\n" + product.name() + "\n" + product.price().toPlainString() + "\n"
        + product.averageRating() + "\n" + product.rankInCategory() + "\n"
        + shipping.daysToDeliver(product.category());
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> values = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          values.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return values;
  }
}
