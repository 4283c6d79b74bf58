package io.cacheagent.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Routes the (relocated) SLF4J that Lettuce logs through into {@link AgentLog}: warnings and errors
 * only, rate-limited like the agent's own lines. Found by SLF4J's service loader in the agent's
 * class loader, so the application's logging is never touched.
 */
public final class AgentSlf4jProvider implements SLF4JServiceProvider {

  private final ILoggerFactory loggers = Forwarder::new;
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  private static final class Forwarder extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    Forwarder(String name) {
      this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public boolean isInfoEnabled() {
      return false;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args, Throwable thrown) {
      AgentLog.warn("lib:" + name + ":" + pattern, line(name, MessageFormatter.basicArrayFormat(pattern, args), thrown));
    }
  }

  /** Lettuce's warning when a reconnect attempt fails, e.g. {@code Cannot reconnect to [127.0.0.1/<unresolved>:6379]: Connection refused}. */
  private static final String RECONNECT_FAILED = "Cannot reconnect to [";

  /**
   * The agent's line for a library's warning: the logger's simple name and the text. Lettuce's
   * failed reconnects are said in the agent's words: Lettuce names the address as Netty holds it
   * ({@code 127.0.0.1/<unresolved>:6379}), while the agent's own lines name the URI and say when
   * the connection is back.
   */
  static String line(String loggerName, String text, Throwable thrown) {
    String shortName = loggerName.substring(loggerName.lastIndexOf('.') + 1);
    String cause = thrown == null ? "" : " (" + thrown + ")";
    if (shortName.equals("ConnectionWatchdog") && text.startsWith(RECONNECT_FAILED) && text.contains("]: ")) {
      return "cannot reconnect to redis yet (" + text.substring(text.indexOf("]: ") + 3) + ")" + cause;
    }
    return shortName + ": " + text + cause;
  }

}
