package org.pumpcds.orders;

/** A draft order that cannot be read; the message names the entry, never its content. */
public class InvalidOrderException extends RuntimeException {

    private final String field;

    public InvalidOrderException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** Where in the request the problem is, e.g. {@code context.draftOrders.entry[2].resource}. */
    public String field() {
        return field;
    }
}
