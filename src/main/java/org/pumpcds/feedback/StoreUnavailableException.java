package org.pumpcds.feedback;

/**
 * The database could not be reached or refused the statement: the caller answers 503 (try again), and nothing was
 * acknowledged. Carries the SQLState only; a driver's message may quote the values.
 */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String what, java.sql.SQLException cause) {
        super(what + " (SQLState " + cause.getSQLState() + ")");
    }
}
