package com.acme.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Answers GET /books?id=N with the title, the catalog's lookup count and the loader that loaded it. */
public class BookServlet extends HttpServlet {
  private final Catalog catalog = new Catalog();

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String title = catalog.title(Long.parseLong(request.getParameter("id")));
    response.setContentType("text/plain");
    response.getWriter().print(title + " lookups=" + catalog.lookups() + " loader=" + Catalog.class.getClassLoader().getClass().getName());
  }
}
