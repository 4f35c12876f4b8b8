package io.accessbridge.ingest;

/**
 * Raised when raw input cannot become a canonical event: malformed JSON, a wrong type,
 * an unknown event type, a missing field. The message is safe to log and to return to the
 * device: it names the field and the problem, never the field's value.
 */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
