package io.switchboard.node;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * How the node's log lines look (--log-format): {@code text}, as logback.xml says (a UTC date on each line), or
 * {@code json}, one object a line by Logback's JsonEncoder (timestamp, level, thread, logger, MDC ids, message,
 * throwable) for a log collector.
 */
enum LogFormat {
  TEXT, JSON;

  static LogFormat parse(String text) {
    for (LogFormat format : values()) {
      if (format.name().equalsIgnoreCase(text.trim())) {
        return format;
      }
    }
    throw new IllegalArgumentException("text or json, not " + text);
  }

  /** Switches the root logger to this format; text leaves the configuration (logback.xml, or the operator's) alone. */
  void apply() {
    if (this == TEXT || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithArguments(false);
    encoder.setWithMessage(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("JSON");
    appender.setEncoder(encoder);
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
