package org.pumpcds.feedback;

import java.sql.SQLException;

/**
 * What a database refusal means, read from its SQLState class (the same on H2 and PostgreSQL, whatever exception class
 * the driver throws), for every store of this service.
 */
public final class SqlStates {

    private SqlStates() {
    }

    /** Class 23, integrity constraint: the row is there already (a key written before, by this or another instance). */
    public static boolean alreadyStored(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }

    /** Class 22, data exception: a value the column cannot hold. Sending it again would fail again. */
    public static boolean valueRefused(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("22");
    }
}
