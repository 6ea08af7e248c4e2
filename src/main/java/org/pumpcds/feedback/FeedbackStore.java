package org.pumpcds.feedback;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Feedback persisted in SQL (schema.sql); a repeated item is recognised by its unique key and skipped. */
@Repository
public class FeedbackStore {

    private final JdbcClient jdbc;

    public FeedbackStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the items of one POST; returns how many were new (the rest were repeats). */
    @Transactional
    public int store(String serviceId, List<FeedbackItem> items) {
        int stored = 0;
        Timestamp now = Timestamp.from(Instant.now());
        for (FeedbackItem item : items) {
            if (exists(serviceId, item)) {
                continue;
            }
            try {
                jdbc.sql("""
                        INSERT INTO feedback (service_id, card_uuid, outcome, outcome_timestamp, accepted_suggestions,
                                              override_reason_system, override_reason_code, user_comment, received_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                        .params(serviceId, item.cardUuid(), item.outcome(), Timestamp.from(item.outcomeTimestamp()),
                                String.join(" ", item.acceptedSuggestions()), item.overrideReasonSystem(),
                                item.overrideReasonCode(), item.userComment(), now)
                        .update();
                stored++;
            } catch (DuplicateKeyException e) {
                // a concurrent POST of the same item won the race: it is stored once, as intended
            }
        }
        return stored;
    }

    private boolean exists(String serviceId, FeedbackItem item) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM feedback
                WHERE service_id = ? AND card_uuid = ? AND outcome = ? AND outcome_timestamp = ?""")
                .params(serviceId, item.cardUuid(), item.outcome(), Timestamp.from(item.outcomeTimestamp()))
                .query(Integer.class).single() > 0;
    }

    public int count(String serviceId) {
        return jdbc.sql("SELECT COUNT(*) FROM feedback WHERE service_id = ?").param(serviceId)
                .query(Integer.class).single();
    }
}
