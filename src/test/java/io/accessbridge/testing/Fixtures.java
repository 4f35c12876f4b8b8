package io.accessbridge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.accessbridge.ingest.RawInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads JSON fixtures from {@code src/test/resources/fixtures}, through the bridge's own lenient parser. */
public final class Fixtures {

    private Fixtures() {
    }

    /** The bytes of a fixture, e.g. {@code v1/000-recognition.json}. */
    public static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture parsed as the bridge parses device input. */
    public static JsonNode json(String name) {
        return RawInput.parseJson(bytes(name));
    }
}
