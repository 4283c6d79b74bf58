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
      String text = MessageFormatter.basicArrayFormat(pattern, args);
      AgentLog.warn("lib:" + name + ":" + pattern, shortName() + ": " + text + (thrown == null ? "" : " (" + thrown + ")"));
    }

    private String shortName() {
      return name.substring(name.lastIndexOf('.') + 1);
    }
  }

}
