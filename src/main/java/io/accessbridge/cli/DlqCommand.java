package io.accessbridge.cli;

import io.accessbridge.target.DeadLetter;
import io.accessbridge.target.DeadLetterFilter;
import io.accessbridge.target.DeadLetters;
import io.accessbridge.target.Durations;
import io.accessbridge.target.Settings;
import io.accessbridge.target.TargetSettings;
import io.accessbridge.target.TargetsConfiguration;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dlq list} and {@code dlq replay}: the events the delivery targets gave up on, listed with their
 * reason and attempts, and moved back to their target's queue once the cause is fixed. Queue names come
 * from the bridge's settings file ({@code --config}), so they match the running bridge.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "List and replay the events the delivery targets gave up on (dead letters).",
        subcommands = {DlqCommand.ListCommand.class, DlqCommand.ReplayCommand.class})
public final class DlqCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: list or replay");
    }

    /** Runs the command: {@code dlq list|replay [options]}. */
    public static void main(String... args) {
        System.exit(new CommandLine(new DlqCommand()).execute(args));
    }

    /** Connection, settings and filter options shared by the subcommands. */
    public static final class Options {

        @Option(names = "--broker-url", defaultValue = "tcp://127.0.0.1:61616",
                description = "Broker of the bridge (default: ${DEFAULT-VALUE})")
        String brokerUrl;

        @Option(names = "--user", description = "Broker user")
        String user;

        @Option(names = "--password", description = "Broker password (default: environment BRIDGE_BROKER_PASSWORD)")
        String password;

        @Option(names = "--config", defaultValue = "config/application.properties",
                description = "The bridge's settings file, for the target and queue names (default: ${DEFAULT-VALUE})")
        Path config;

        @Option(names = {"-t", "--target"}, description = "Only this target (repeatable; default: every target)")
        List<String> targets;

        @Option(names = "--kind", description = "Only this event kind, e.g. access.granted")
        String kind;

        @Option(names = "--device", description = "Only events of this device id")
        String device;

        @Option(names = "--older-than", description = "Only dead letters at least this old, e.g. 30m, 2h, 1d")
        String olderThan;

        @Option(names = "--newer-than", description = "Only dead letters at most this old, e.g. 30m, 2h, 1d")
        String newerThan;

        @Option(names = "--limit", defaultValue = "0", description = "At most this many per target (0: all)")
        int limit;

        DeadLetterFilter filter() {
            return new DeadLetterFilter(kind, device, duration("--older-than", olderThan),
                    duration("--newer-than", newerThan), limit);
        }

        /** Work on the dead letters of the selected targets. */
        interface Work<T> {
            T on(DeadLetters deadLetters) throws Exception;
        }

        <T> T with(Work<T> work) throws Exception {
            Properties file = new Properties();
            if (Files.exists(config)) {
                try (InputStream in = Files.newInputStream(config)) {
                    file.load(in);
                }
            }
            Settings settings = Settings.of(file, System.getenv());
            List<String> names = targets != null && !targets.isEmpty() ? targets
                    : settings.list("bridge.targets", String.join(",", TargetsConfiguration.BUILT_IN));
            List<TargetSettings> selected = names.stream().map(n -> TargetSettings.from(settings, n)).toList();
            try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(brokerUrl)) {
                if (user != null) {
                    cf.setUser(user);
                    cf.setPassword(password != null ? password : System.getenv("BRIDGE_BROKER_PASSWORD"));
                }
                return work.on(new DeadLetters(cf, selected, Clock.systemUTC()));
            }
        }

        private static Duration duration(String option, String value) {
            return value == null ? null : Durations.parse(option, value);
        }
    }

    /** {@code dlq list}: one line per dead letter. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List dead letters, oldest first per target.")
    public static final class ListCommand implements Callable<Integer> {

        @Mixin
        Options options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<DeadLetter> letters = options.with(d -> d.list(options.filter()));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-24s %-14s %-40s %-16s %-16s %8s  %s%n", "DEAD-LETTERED", "TARGET", "EVENT", "KIND", "DEVICE",
                    "ATTEMPTS", "REASON");
            for (DeadLetter d : letters) {
                out.printf("%-24s %-14s %-40s %-16s %-16s %8d  %s%n", d.deadLetteredAt(), d.target(), d.eventId(),
                        d.kind(), d.deviceId(), d.attempts(), oneLine(d.reason()));
            }
            out.printf("%d dead letter(s)%n", letters.size());
            out.flush();
            return 0;
        }
    }

    /** {@code dlq replay}: moves matching dead letters back to their targets. */
    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Move matching dead letters back to their target's queue (after fixing the cause).")
    public static final class ReplayCommand implements Callable<Integer> {

        @Mixin
        Options options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            int moved = options.with(d -> d.replay(options.filter()));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Replayed %d dead letter(s)%n", moved);
            out.flush();
            return 0;
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ");
    }
}
