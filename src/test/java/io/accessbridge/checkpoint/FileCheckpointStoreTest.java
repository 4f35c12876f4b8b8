package io.accessbridge.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCheckpointStoreTest {

    private static final Instant T0 = Instant.parse("2024-03-01T08:00:00Z");

    @TempDir
    Path dir;

    private static Checkpoint cp(long last) {
        return new Checkpoint(last, 1_700_000_000L + last, 1, last + 5, 0, T0.plusSeconds(last));
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void loadOfUnknownDeviceIsEmpty() throws IOException {
        assertThat(new FileCheckpointStore(dir).load("lobby-1")).isEmpty();
    }

    @Test
    void saveThenLoadRoundTripsEveryField() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        Checkpoint full = new Checkpoint(42, 1_700_000_123_456L, 7, 99, 3, T0);
        Checkpoint noTimestamp = new Checkpoint(0, null, 0, 0, 0, T0);

        store.save("lobby-1", full);
        store.save("gate-2", noTimestamp);

        FileCheckpointStore reopened = new FileCheckpointStore(dir);
        assertThat(reopened.load("lobby-1")).contains(full);
        assertThat(reopened.load("gate-2")).contains(noTimestamp);
        assertThat(files()).containsExactly("gate-2.checkpoint.json", "lobby-1.checkpoint.json");
    }

    @Test
    void saveReplacesAndLeavesNoTemporaryFile() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        for (long i = 1; i <= 5; i++) {
            store.save("lobby-1", cp(i));
        }

        assertThat(store.load("lobby-1")).contains(cp(5));
        assertThat(files()).containsExactly("lobby-1.checkpoint.json");
    }

    @Test
    void crashBeforeRenameKeepsThePreviousCheckpointAndTheTempFileIsCleanedOnOpen() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        store.save("lobby-1", cp(10));
        // what a crash between write and rename leaves behind: a half-written temp file
        Path leftover = dir.resolve("lobby-1" + FileCheckpointStore.SUFFIX + ".3f1c-crash" + FileCheckpointStore.TEMP_SUFFIX);
        Files.writeString(leftover, "{\"version\":1,\"deviceId\":\"lobby-1\",\"lastSeq", StandardCharsets.UTF_8);

        assertThat(store.load("lobby-1")).as("temp files are never read").contains(cp(10));

        FileCheckpointStore afterRestart = new FileCheckpointStore(dir);
        assertThat(afterRestart.load("lobby-1")).contains(cp(10));
        assertThat(leftover).doesNotExist();
        assertThat(files()).containsExactly("lobby-1.checkpoint.json");
    }

    @Test
    void failedSaveThrowsAndLeavesNoTemporaryFile() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        // a non-empty directory where the checkpoint file should be makes the rename fail
        Path blocker = store.fileOf("lobby-1");
        Files.createDirectories(blocker.resolve("x"));

        assertThatThrownBy(() -> store.save("lobby-1", cp(1))).isInstanceOf(IOException.class);
        assertThat(files()).containsExactly("lobby-1.checkpoint.json");
        assertThat(blocker).isDirectory();
    }

    @Test
    void corruptFileIsReportedWithoutItsContents() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        Files.writeString(store.fileOf("lobby-1"), "{\"deviceId\":\"lobby-1\",\"lastSeqnum\":\"secret-ish\"");

        assertThatThrownBy(() -> store.load("lobby-1"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-ish"));
    }

    @Test
    void fileOfAnotherDeviceIsRejected() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        store.save("lobby-1", cp(3));
        Files.move(store.fileOf("lobby-1"), store.fileOf("gate-2"));

        assertThatThrownBy(() -> store.load("gate-2")).isInstanceOf(IOException.class);
    }

    @Test
    void unusualDeviceIdsStayInsideTheDirectoryAndDoNotCollide() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        List<String> ids = List.of("../escape", "a/b", "a%2Fb", "门禁-1", "a.b", "a_b", "A B");
        for (int i = 0; i < ids.size(); i++) {
            store.save(ids.get(i), cp(i + 1));
        }

        for (int i = 0; i < ids.size(); i++) {
            assertThat(store.load(ids.get(i))).as(ids.get(i)).contains(cp(i + 1));
            assertThat(store.fileOf(ids.get(i)).getParent()).isEqualTo(dir);
        }
        assertThat(files()).hasSize(ids.size()).allMatch(n -> n.endsWith(FileCheckpointStore.SUFFIX));
        assertThatThrownBy(() -> store.save("", cp(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.save("x".repeat(300), cp(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentSavesOfDifferentDevicesWhileReadersNeverSeeAHalfWrittenFile() throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        int devices = 4;
        int savesPerDevice = 40;
        ExecutorService pool = Executors.newFixedThreadPool(devices + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int d = 0; d < devices; d++) {
                String id = "dev-" + d;
                writers.add(pool.submit(() -> {
                    start.await();
                    for (long i = 1; i <= savesPerDevice; i++) {
                        store.save(id, cp(i));
                    }
                    return null;
                }));
            }
            Future<Long> reader = pool.submit(() -> {
                start.await();
                long loads = 0;
                long previous = 0;
                while (writing.get()) {
                    Optional<Checkpoint> c = store.load("dev-0"); // throws if it ever sees a partial file
                    if (c.isPresent()) {
                        assertThat(c.get().lastSeqnum()).isGreaterThanOrEqualTo(previous);
                        previous = c.get().lastSeqnum();
                    }
                    loads++;
                }
                return loads;
            });
            start.countDown();
            for (Future<?> w : writers) {
                w.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
        } finally {
            pool.shutdownNow();
        }

        for (int d = 0; d < devices; d++) {
            assertThat(store.load("dev-" + d)).contains(cp(savesPerDevice));
        }
        assertThat(files()).hasSize(devices).noneMatch(n -> n.endsWith(FileCheckpointStore.TEMP_SUFFIX));
    }

    @Test
    void concurrentSavesOfOneDeviceLeaveOneCompleteCheckpoint() throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long base = t * 100L;
                futures.add(pool.submit(() -> {
                    for (long i = 1; i <= 20; i++) {
                        store.save("shared", cp(base + i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Checkpoint last = store.load("shared").orElseThrow();
        assertThat(last.lastSeqnum()).isIn(20L, 120L, 220L, 320L);
        assertThat(last).isEqualTo(cp(last.lastSeqnum()));
        assertThat(files()).containsExactly("shared.checkpoint.json");
    }

    @Test
    void checkpointRejectsNegativeNumbers() {
        assertThatThrownBy(() -> new Checkpoint(-1, null, 0, 0, 0, T0)).isInstanceOf(IllegalArgumentException.class);
        Checkpoint c = new Checkpoint(5, 99L, 1, 9, 2, T0);
        assertThat(c.nextEpoch(1, 3, T0)).isEqualTo(new Checkpoint(0, null, 1, 3, 3, T0));
        assertThat(c.advance(7, 100L, T0)).isEqualTo(new Checkpoint(7, 100L, 1, 9, 2, T0));
    }
}
