package io.accessbridge.inventory;

/** A wrong inventory: the message names the file, the device and the field. Start-up stops on it. */
public class InventoryException extends RuntimeException {

    public InventoryException(String message) {
        super(message);
    }
}
