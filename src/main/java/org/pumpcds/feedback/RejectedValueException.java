package org.pumpcds.feedback;

/**
 * The database refused a value as data (SQLState class 22, such as a NUL character in text on PostgreSQL): sending
 * it again cannot help, so the caller answers 400. Carries the SQLState only; the driver's message may quote it.
 */
public final class RejectedValueException extends RuntimeException {

    public RejectedValueException(String what, java.sql.SQLException cause) {
        super(what + " (SQLState " + cause.getSQLState() + ")");
    }
}
