package com.acme.container;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * An embedded Tomcat serving one web application from a directory (system property {@code webapp.dir},
 * with WEB-INF/classes),
 * through its own webapp class loader. Reads request paths from standard input ({@code GET /books?id=1})
 * and prints each response body on one line.
 */
public class TomcatLauncher {
  public static void main(String[] args) throws Exception {
    Tomcat tomcat = new Tomcat();
    File docBase = new File(System.getProperty("webapp.dir")).getCanonicalFile();
    tomcat.setBaseDir(new File(docBase.getParentFile(), "tomcat-base").getPath());
    tomcat.setPort(0);
    tomcat.getConnector();
    Context webapp = tomcat.addContext("/shop", docBase.getPath());
    Tomcat.addServlet(webapp, "books", "com.acme.web.BookServlet");
    webapp.addServletMappingDecoded("/books", "books");
    tomcat.start();
    int port = tomcat.getConnector().getLocalPort();
    HttpClient client = HttpClient.newHttpClient();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    System.out.println("started");
    for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
      String path = line.substring("GET ".length());
      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/shop" + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      System.out.println(response.statusCode() == 200 ? response.body() : "HTTP " + response.statusCode() + " " + response.body());
    }
    tomcat.stop();
    tomcat.destroy();
  }
}
