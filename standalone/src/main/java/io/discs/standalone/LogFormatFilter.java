package io.discs.standalone;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Lets an appender write only when {@code DISCS_LOG_FORMAT} names its format (text by default), so
 * that logback.xml can hold both appenders, both referenced, without conditional configuration.
 */
public final class LogFormatFilter extends Filter<ILoggingEvent> {
  private static final String CHOSEN = chosen();
  private String format = "text";

  public void setFormat(String format) {
    this.format = format;
  }

  @Override
  public FilterReply decide(ILoggingEvent event) {
    return format.equals(CHOSEN) ? FilterReply.NEUTRAL : FilterReply.DENY;
  }

  private static String chosen() {
    String value = System.getenv("DISCS_LOG_FORMAT");
    return value == null || value.isBlank() ? "text" : value.trim();
  }
}
