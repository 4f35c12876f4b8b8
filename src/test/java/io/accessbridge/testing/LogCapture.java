package io.accessbridge.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects the formatted messages (with the thrown exception's {@code toString()}, as a log line
 * would show it) of every log event the test JVM's log4j root logger passes on, from
 * {@link #start()} to {@link #close()}.
 */
public final class LogCapture implements AutoCloseable {

    private final Appender appender;

    private LogCapture(Appender appender) {
        this.appender = appender;
    }

    /** Starts capturing. */
    public static LogCapture start() {
        Appender appender = new Appender("capture-" + UUID.randomUUID());
        appender.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, Level.ALL, null);
        context.updateLoggers();
        return new LogCapture(appender);
    }

    /** The lines captured so far: {@code LEVEL logger - message[ | thrown]}. */
    public List<String> lines() {
        synchronized (appender.lines) {
            return List.copyOf(appender.lines);
        }
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }

    private static final class Appender extends AbstractAppender {
        private final List<String> lines = new ArrayList<>();

        Appender(String name) {
            super(name, null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            String line = event.getLevel() + " " + event.getLoggerName() + " - " + event.getMessage().getFormattedMessage()
                    + (event.getThrown() == null ? "" : " | " + event.getThrown());
            synchronized (lines) {
                lines.add(line);
            }
        }
    }
}
