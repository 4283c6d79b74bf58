package com.acme.library;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Proxy;

/** Reads commands from standard input and answers each with one line; the agent is configured on the interfaces only. */
public class LibraryApp {
  public static void main(String[] args) throws Exception {
    JdbcBookRepository books = new JdbcBookRepository();
    int[] handled = {0};
    BookLookup proxy = (BookLookup) Proxy.newProxyInstance(LibraryApp.class.getClassLoader(),
        new Class<?>[] {BookLookup.class}, (self, method, arguments) -> {
          handled[0]++;
          return method.invoke(books, arguments);
        });
    Repository<Book, Long> generic = books;
    PriceList prices = new InterceptedListPrice();
    BookDao bookDao = new BookDao();
    AuthorDao authorDao = new AuthorDao();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    System.out.println("started");
    for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
      String[] words = line.split(" ");
      long id = Long.parseLong(words[1]);
      switch (words[0]) {
        case "find":
          System.out.println(books.find(id) + " queries=" + books.queries);
          break;
        case "proxy": // a JDK proxy of BookLookup, whose handler calls JdbcBookRepository#lookup, which calls find
          System.out.println(proxy.lookup(id) + " handled=" + handled[0] + " queries=" + books.queries);
          break;
        case "byId":
          System.out.println(generic.findById(id) + " queries=" + books.queries);
          break;
        case "save":
          books.save(new Book(id, words[2]));
          System.out.println("saved queries=" + books.queries);
          break;
        case "price":
          System.out.println(prices.price(id) + " intercepted=" + InterceptedListPrice.intercepted
              + " computations=" + ListPrice.computations);
          break;
        case "daos":
          System.out.println(bookDao.findById(id) + " " + authorDao.findById(id) + " loads="
              + (bookDao.loads + authorDao.loads));
          break;
        default:
          System.out.println("unknown command " + words[0]);
      }
    }
  }
}
