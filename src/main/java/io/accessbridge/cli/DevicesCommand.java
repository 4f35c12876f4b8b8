package io.accessbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code devices}: the status table of a running bridge's devices (and targets), from its {@code /api/status}. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "Show the devices (and delivery targets) of a running bridge, from its /api/status.")
public final class DevicesCommand implements Callable<Integer> {

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080",
            description = "The bridge's HTTP address (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--token", defaultValue = "${env:BRIDGE_OPS_TOKEN}", arity = "0..1", interactive = true,
            description = "The bridge's bridge.ops.token, when it has one (default: the environment variable "
                    + "BRIDGE_OPS_TOKEN; --token alone asks for it)")
    String token;

    @Option(names = "--targets", description = "Also list the delivery targets")
    boolean targets;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/api/status"))
                    .timeout(Duration.ofSeconds(10));
            if (token != null && !token.isBlank()) {
                request.header("Authorization", "Bearer " + token.strip());
            }
            r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            spec.commandLine().getErr().printf("Bridge at %s not reachable: %s%n", url, e.getMessage());
            return 2;
        }
        if (r.statusCode() != 200) {
            spec.commandLine().getErr().printf("Bridge at %s answered %d%s%n", url, r.statusCode(),
                    r.statusCode() == 401 ? " (it needs its bridge.ops.token: --token or BRIDGE_OPS_TOKEN)" : "");
            return 2;
        }
        JsonNode status = new ObjectMapper().readTree(r.body());
        Instant now = Instant.parse(status.path("time").asText(Instant.now().toString()));
        out.print(table(status, now, targets));
        out.flush();
        return 0;
    }

    /** The text table of a {@code /api/status} answer. */
    static String table(JsonNode status, Instant now, boolean withTargets) {
        StringBuilder s = new StringBuilder();
        JsonNode broker = status.path("broker");
        s.append(String.format("Bridge %s %s, up %s; broker %s (%s)%n", status.path("bridge").path("name").asText(),
                status.path("bridge").path("version").asText(),
                human(Duration.ofSeconds(status.path("bridge").path("uptimeSeconds").asLong())),
                broker.path("state").asText(), broker.path("detail").asText()));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"DEVICE", "GEN", "STATE", "SINCE", "LAST EVENT", "EVENTS", "LAG", "SUBSCRIPTION",
            "CHANNELS"});
        for (JsonNode d : status.path("devices")) {
            List<String> channels = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = d.path("channels").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> c = it.next();
                channels.add(c.getKey() + "=" + c.getValue().path("state").asText());
            }
            String state = d.path("state").asText() + (d.path("reason").isTextual() ? " (" + d.path("reason").asText() + ")" : "");
            rows.add(new String[] {d.path("id").asText(), d.path("generation").asText(), state,
                ago(d.path("since"), now), ago(d.path("lastEventAt"), now), d.path("events").asText(),
                d.path("lag").isNull() ? "-" : d.path("lag").asText(),
                d.path("subscription").isNull() ? "-" : d.path("subscription").asText(),
                channels.isEmpty() ? "-" : String.join(",", channels)});
        }
        format(s, rows);
        s.append(String.format("%d device(s)%n", rows.size() - 1));
        if (withTargets) {
            List<String[]> t = new ArrayList<>();
            t.add(new String[] {"TARGET", "STATE", "BACKLOG", "DELIVERED", "FAILED", "RETRYING", "DEAD LETTERS",
                "CIRCUIT"});
            for (JsonNode x : status.path("targets")) {
                t.add(new String[] {x.path("name").asText(), x.path("state").asText(), orDash(x.path("backlog")),
                    x.path("delivered").asText(), x.path("failed").asText(), x.path("retrying").asText(),
                    orDash(x.path("deadLetters")), x.path("circuit").asText()});
            }
            s.append(System.lineSeparator());
            format(s, t);
        }
        return s.toString();
    }

    private static String orDash(JsonNode n) {
        return n.isNull() || n.isMissingNode() ? "-" : n.asText();
    }

    private static String ago(JsonNode time, Instant now) {
        if (!time.isTextual()) {
            return "-";
        }
        return human(Duration.between(Instant.parse(time.asText()), now)) + " ago";
    }

    private static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
        }
        if (s < 86400) {
            return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
        }
        return s / 86400 + "d" + (s % 86400 / 3600 == 0 ? "" : s % 86400 / 3600 + "h");
    }

    private static void format(StringBuilder s, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(String.format("%-" + width[i] + "s", r[i]));
                if (i < r.length - 1) {
                    line.append("  ");
                }
            }
            s.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
    }
}
