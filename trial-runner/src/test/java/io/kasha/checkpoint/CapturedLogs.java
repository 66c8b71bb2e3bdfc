package io.kasha.checkpoint;

import java.io.StringWriter;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Everything the named loggers write at DEBUG and above while it is open, with stack traces. */
final class CapturedLogs implements AutoCloseable {

  private final StringWriter text = new StringWriter();
  private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
  private final Appender appender;
  private final List<String> names;

  CapturedLogs(final String... names) {
    this.names = List.of(names);
    appender = WriterAppender.newBuilder().setName("captured-" + System.nanoTime()).setTarget(text)
        .setLayout(PatternLayout.newBuilder().withPattern("%level %c - %m%n%throwable").build()).build();
    appender.start();
    final Configuration config = context.getConfiguration();
    config.addAppender(appender);
    for (final String name : this.names) {
      if (config.getLoggers().containsKey(name)) {
        throw new IllegalArgumentException("logger " + name + " is configured already; capture one below it");
      }
      final LoggerConfig logger = new LoggerConfig(name, Level.DEBUG, false);
      logger.addAppender(appender, Level.DEBUG, null);
      config.addLogger(name, logger);
    }
    context.updateLoggers();
  }

  String text() {
    synchronized (text) {
      return text.toString();
    }
  }

  @Override
  public void close() {
    final Configuration config = context.getConfiguration();
    for (final String name : names) {
      config.removeLogger(name);
    }
    context.updateLoggers();
    appender.stop();
  }
}
