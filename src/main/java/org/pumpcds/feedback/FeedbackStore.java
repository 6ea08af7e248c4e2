package org.pumpcds.feedback;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * Feedback persisted in SQL, by both hosts; a repeated item is recognised by its unique key and skipped. Each item
 * is committed before the answer goes out, so nothing acknowledged is lost.
 */
public final class FeedbackStore {

    /**
     * The feedback table's definition: run by Flyway in the standalone service (with the later migrations beside it)
     * and by the HAPI plug-in on its own database.
     */
    public static final String SCHEMA_SCRIPT = "org/pumpcds/db/migration/V1__feedback.sql";

    private final DataSource dataSource;

    /** Over a database whose schema is in place ({@link #SCHEMA_SCRIPT}). */
    public FeedbackStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores the items of one POST; returns how many were new (the rest were repeats). */
    public int store(String serviceId, List<FeedbackItem> items) {
        int stored = 0;
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            for (FeedbackItem item : items) {
                if (exists(connection, serviceId, item)) {
                    continue;
                }
                try (PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO feedback (service_id, card_uuid, outcome, outcome_timestamp, accepted_suggestions,
                                              override_reason_system, override_reason_code, user_comment, received_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                    insert.setString(1, serviceId);
                    insert.setString(2, item.cardUuid());
                    insert.setString(3, item.outcome());
                    insert.setTimestamp(4, Timestamp.from(item.outcomeTimestamp()));
                    insert.setString(5, String.join(" ", item.acceptedSuggestions()));
                    insert.setString(6, item.overrideReasonSystem());
                    insert.setString(7, item.overrideReasonCode());
                    insert.setString(8, item.userComment());
                    insert.setTimestamp(9, now);
                    insert.executeUpdate();
                    stored++;
                } catch (SQLException e) {
                    // SQLState class 23 (integrity constraint, whatever the driver's exception class): a concurrent
                    // POST of the same item won the race, and it is stored once, as intended
                    if (!SqlStates.alreadyStored(e)) {
                        throw e;
                    }
                }
            }
        } catch (SQLException e) {
            if (SqlStates.valueRefused(e)) {
                throw new RejectedValueException("a feedback value cannot be stored", e);
            }
            throw new StoreUnavailableException("feedback could not be stored", e);
        }
        return stored;
    }

    private static boolean exists(Connection connection, String serviceId, FeedbackItem item) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT COUNT(*) FROM feedback
                WHERE service_id = ? AND card_uuid = ? AND outcome = ? AND outcome_timestamp = ?""")) {
            query.setString(1, serviceId);
            query.setString(2, item.cardUuid());
            query.setString(3, item.outcome());
            query.setTimestamp(4, Timestamp.from(item.outcomeTimestamp()));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1) > 0;
            }
        }
    }

    public int count(String serviceId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM feedback WHERE service_id = ?")) {
            query.setString(1, serviceId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("feedback could not be counted", e);
        }
    }
}
