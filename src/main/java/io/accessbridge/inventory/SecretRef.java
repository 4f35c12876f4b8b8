package io.accessbridge.inventory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A secret named by reference, never written inline: {@code {env: NAME}} or {@code {file: path}}.
 * {@link #toString()} never shows the value.
 *
 * @param env  environment variable holding the secret
 * @param file file holding the secret (trailing newline removed), e.g. a Docker/Kubernetes secret
 */
public record SecretRef(String env, String file) {

    /** Resolves the secret now; fails naming the reference (not the value) when it is missing. */
    public String resolve(Map<String, String> environment) {
        if (env != null) {
            String v = environment.get(env);
            if (v == null || v.isEmpty()) {
                throw new IllegalStateException("environment variable " + env + " is not set");
            }
            return v;
        }
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("secret file " + file + " cannot be read");
        }
    }

    @Override
    public String toString() {
        return env != null ? "env:" + env : "file:" + file;
    }
}
