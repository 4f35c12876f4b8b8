package io.accessbridge.target.webhook;

import io.accessbridge.target.Settings;
import java.util.List;

/**
 * A webhook target that delivers the CloudEvent (structured JSON, as stored) to access-control software.
 * Two instances exist: {@code webhook} (its event kinds, by default all) and {@code webhook-alarms} (alarms to
 * their own endpoint). Keys are {@code bridge.target.<name>.*}.
 *
 * @param name       {@code webhook} or {@code webhook-alarms}
 * @param url        the receiver's URL ({@code url}), used by the route
 * @param secrets    signing secrets {@code whsec_...}, current first ({@code secret}: one, or during a key
 *                   rotation the new and the old one separated by a space or comma)
 * @param eventKinds which event kinds go there ({@code event-kinds}, see {@link io.accessbridge.target.EventKinds})
 */
public record WebhookSettings(String name, String url, List<String> secrets, String eventKinds) {

    /** Reads {@code bridge.target.<name>.*}. */
    public static WebhookSettings from(Settings s, String name, String defaultKinds) {
        String p = "bridge.target." + name + ".";
        List<String> secrets = List.of(s.string(p + "secret", "").split("[,\\s]+")).stream()
                .filter(x -> !x.isBlank()).toList();
        return new WebhookSettings(name, s.string(p + "url", "http://localhost:9000/events"), secrets,
                s.string(p + "event-kinds", defaultKinds));
    }
}
