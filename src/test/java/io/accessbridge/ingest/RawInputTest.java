package io.accessbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reading a request body stream whole, whatever the stream says is available. */
class RawInputTest {

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void streamThatKnowsItsLengthIsReadWhole() throws IOException {
        byte[] body = bytes(1_500);
        assertThat(RawInput.readFully(new ByteArrayInputStream(body))).isEqualTo(body);
    }

    @Test
    void streamThatUnderstatesWhatIsAvailableIsStillReadToItsEnd() throws IOException {
        byte[] body = bytes(70_000);
        InputStream trickle = new FilterInputStream(new ByteArrayInputStream(body)) {
            @Override
            public int available() {
                return 10;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1_000));
            }
        };
        assertThat(RawInput.readFully(trickle)).isEqualTo(body);
    }

    @Test
    void emptyStreamGivesNoBytes() throws IOException {
        assertThat(RawInput.readFully(new ByteArrayInputStream(new byte[0]))).isEmpty();
    }
}
