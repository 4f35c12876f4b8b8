package io.accessbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A benchmark's bridge leaves its log behind, not its journal: what {@link BridgeProcess#deleteData} removes. */
class BridgeProcessDataTest {

    @TempDir
    Path dir;

    @Test
    void deleteDataRemovesTheJournalPagingImagesAndCheckpointsAndKeepsTheLog() throws Exception {
        BridgeProcess.benchSettings(dir);
        Files.createDirectories(dir.resolve("broker/journal"));
        Files.writeString(dir.resolve("broker/journal/activemq-data-1.amq"), "journal");
        Files.createDirectories(dir.resolve("broker/paging/0a1b"));
        Files.writeString(dir.resolve("broker/paging/0a1b/000000001.page"), "page");
        Files.createDirectories(dir.resolve("images"));
        Files.createDirectories(dir.resolve("checkpoints"));
        Files.writeString(dir.resolve("checkpoints/device-1.json"), "{}");
        Files.writeString(dir.resolve("bridge.log"), "started");

        BridgeProcess.deleteData(dir);

        assertThat(dir.resolve("broker")).doesNotExist();
        assertThat(dir.resolve("images")).doesNotExist();
        assertThat(dir.resolve("checkpoints")).doesNotExist();
        assertThat(dir.resolve("bridge.log")).hasContent("started");
        BridgeProcess.deleteData(dir);
        assertThat(dir.resolve("bridge.log")).exists();
    }
}
