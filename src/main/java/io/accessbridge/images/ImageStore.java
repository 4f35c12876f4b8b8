package io.accessbridge.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Claim-check store for snapshots: images are written here, beside the event, and the event
 * carries only a reference {@code image:<sha256 of event id>.jpg}. Used only when
 * {@code bridge.privacy.forward-images=true}.
 */
public final class ImageStore {

    private static final String SCHEME = "image:";
    private final Path directory;

    /** A store writing under {@code directory} (created when missing). */
    public ImageStore(Path directory) {
        this.directory = directory;
    }

    /** The reference under which the snapshot of this event is stored. */
    public static String refFor(String eventId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(eventId.getBytes(StandardCharsets.UTF_8));
            return SCHEME + HexFormat.of().formatHex(h) + ".jpg";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the image for a reference, atomically; a second write of the same reference is a no-op. */
    public void store(String ref, byte[] image) {
        Path target = resolve(ref);
        if (Files.exists(target)) {
            return;
        }
        try {
            Files.createDirectories(directory);
            Path tmp = Files.createTempFile(directory, ".img", ".tmp");
            Files.write(tmp, image);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store image " + ref, e);
        }
    }

    /** The file of a reference. */
    public Path resolve(String ref) {
        if (!ref.startsWith(SCHEME) || ref.contains("/") || ref.contains("..")) {
            throw new IllegalArgumentException("not an image reference");
        }
        return directory.resolve(ref.substring(SCHEME.length()));
    }
}
