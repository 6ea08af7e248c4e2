package org.pumpcds.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/** Deletes card audit rows and feedback older than the retention period (pumpcds.audit.retention). */
public final class Retention {

    private final DataSource dataSource;

    public Retention(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Deletes what was shown or received before {@code cutoff}; returns the rows deleted (cards, feedback). */
    public int purgeBefore(Instant cutoff) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement cards = connection.prepareStatement("DELETE FROM card_audit WHERE shown_at < ?");
                PreparedStatement feedback = connection.prepareStatement("DELETE FROM feedback WHERE received_at < ?")) {
            connection.setAutoCommit(true);
            cards.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
            feedback.setTimestamp(1, Timestamp.from(cutoff));
            return cards.executeUpdate() + feedback.executeUpdate();
        }
    }
}
