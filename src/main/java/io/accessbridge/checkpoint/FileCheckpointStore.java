package io.accessbridge.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link CheckpointStore} keeping one small JSON file per device in a directory.
 *
 * <p>A save writes a temporary file, forces it to disk, renames it atomically over the
 * device's file and forces the directory, so the file is always either the old or the new
 * checkpoint, never half of one. Temporary files left by a crash are never read and are
 * removed when the store opens. Saves of different devices run in parallel; saves of one device
 * are serialised. One directory must belong to one bridge process.
 *
 * <p>File name: the device id with every character outside {@code [A-Za-z0-9_-]} percent-encoded
 * (UTF-8), followed by {@link #SUFFIX}.
 */
public final class FileCheckpointStore implements CheckpointStore {

    /** Suffix of checkpoint files. */
    public static final String SUFFIX = ".checkpoint.json";
    static final String TEMP_SUFFIX = ".tmp";
    private static final int FORMAT_VERSION = 1;
    private static final int MAX_FILE_NAME = 200; // leaves room for the temp suffix within 255
    private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path directory;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    /**
     * Opens (and creates if needed) the store directory and removes temporary files a crash left behind.
     *
     * @param directory where the checkpoint files live, e.g. {@code data/checkpoints}
     */
    public FileCheckpointStore(Path directory) throws IOException {
        this.directory = Files.createDirectories(Objects.requireNonNull(directory, "directory"));
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(this.directory, "*" + SUFFIX + ".*" + TEMP_SUFFIX)) {
            for (Path p : stale) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The store directory. */
    public Path directory() {
        return directory;
    }

    /** The file holding the checkpoint of a device. */
    public Path fileOf(String deviceId) {
        return directory.resolve(fileName(deviceId));
    }

    @Override
    public Optional<Checkpoint> load(String deviceId) throws IOException {
        Path file = fileOf(deviceId);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            JsonNode json = MAPPER.readTree(bytes);
            if (json == null || !json.isObject() || !deviceId.equals(json.path("deviceId").asText(null))) {
                throw new IOException("checkpoint file " + file.getFileName() + " does not belong to this device");
            }
            Long lastTimestamp = json.hasNonNull("lastTimestamp") ? requiredLong(json, "lastTimestamp") : null;
            return Optional.of(new Checkpoint(requiredLong(json, "lastSeqnum"), lastTimestamp,
                    requiredLong(json, "deviceMin"), requiredLong(json, "deviceMax"), requiredLong(json, "epoch"),
                    Instant.parse(json.path("updatedAt").asText())));
        } catch (JsonProcessingException | DateTimeParseException | IllegalArgumentException e) {
            throw new IOException("checkpoint file " + file.getFileName() + " is corrupt");
        }
    }

    @Override
    public void save(String deviceId, Checkpoint checkpoint) throws IOException {
        Objects.requireNonNull(checkpoint, "checkpoint");
        String name = fileName(deviceId);
        ObjectNode json = MAPPER.createObjectNode()
                .put("version", FORMAT_VERSION)
                .put("deviceId", deviceId)
                .put("lastSeqnum", checkpoint.lastSeqnum());
        if (checkpoint.lastTimestamp() != null) {
            json.put("lastTimestamp", checkpoint.lastTimestamp());
        }
        json.put("deviceMin", checkpoint.deviceMin())
                .put("deviceMax", checkpoint.deviceMax())
                .put("epoch", checkpoint.epoch())
                .put("updatedAt", checkpoint.updatedAt().toString());
        byte[] bytes = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);

        synchronized (locks.computeIfAbsent(deviceId, k -> new Object())) {
            Path temp = directory.resolve(name + "." + UUID.randomUUID() + TEMP_SUFFIX);
            boolean moved = false;
            try {
                try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    while (buffer.hasRemaining()) {
                        ch.write(buffer);
                    }
                    ch.force(true);
                }
                Files.move(temp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                moved = true;
                forceDirectory();
            } finally {
                if (!moved) {
                    Files.deleteIfExists(temp);
                }
            }
        }
    }

    private void forceDirectory() throws IOException {
        if (WINDOWS) {
            return; // directories cannot be opened for fsync there; NTFS renames are journaled
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private static long requiredLong(JsonNode json, String field) {
        JsonNode v = json.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(field);
        }
        return v.longValue();
    }

    static String fileName(String deviceId) {
        if (deviceId == null || deviceId.isEmpty()) {
            throw new IllegalArgumentException("deviceId must not be empty");
        }
        StringBuilder sb = new StringBuilder();
        for (byte b : deviceId.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                sb.append(c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        sb.append(SUFFIX);
        if (sb.length() > MAX_FILE_NAME) {
            throw new IllegalArgumentException("deviceId is too long for a checkpoint file name");
        }
        return sb.toString();
    }
}
