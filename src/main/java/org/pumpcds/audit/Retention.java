package org.pumpcds.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * Deletes what is kept no longer: card audit rows and feedback older than the retention period
 * (pumpcds.audit.retention), and the replay store's ids of tokens long expired.
 */
public final class Retention {

    /** Instances' clocks may differ by this much: a replay id is deleted only this long after its token expired. */
    public static final Duration REPLAY_CLOCK_MARGIN = Duration.ofMinutes(5);

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

    /** Deletes the ids of tokens expired for longer than {@link #REPLAY_CLOCK_MARGIN} as of {@code now}. */
    public int purgeExpiredTokens(Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement purge = connection.prepareStatement("DELETE FROM token_replay WHERE expires_at < ?")) {
            connection.setAutoCommit(true);
            purge.setObject(1, OffsetDateTime.ofInstant(now.minus(REPLAY_CLOCK_MARGIN), ZoneOffset.UTC));
            return purge.executeUpdate();
        }
    }
}
