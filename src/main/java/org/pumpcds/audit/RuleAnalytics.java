package org.pumpcds.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.pumpcds.feedback.StoreUnavailableException;

/**
 * Feedback counted per rule: of the cards carrying a rule shown in a period, how many were accepted, overridden
 * (and with which reasons), or left without feedback ("ignored"); how many comments and which suggestions were
 * taken. A card is counted once per outcome however often its feedback was sent; a card can be both accepted and
 * overridden (feedback from two clinicians, or a change of mind).
 */
public final class RuleAnalytics {

    /** Cards carrying one rule in [from, to). */
    public record RuleCounts(String ruleId, long shown, long accepted, long overridden, long ignored,
            long overriddenWithoutReason, long comments, List<ReasonCount> overrideReasons,
            List<SuggestionCount> acceptedSuggestions) {
    }

    /** Cards overridden with one reason. */
    public record ReasonCount(String system, String code, long cards) {
    }

    /** Suggestions with one label accepted. */
    public record SuggestionCount(String label, long accepted) {
    }

    /** The cards shown in [from, to), one row per rule they carried; parameters: from, to, ruleId, ruleId. */
    private static final String SHOWN_RULES = " FROM card_audit a JOIN card_audit_rule r ON r.card_uuid = a.card_uuid ";
    private static final String IN_PERIOD = " a.shown_at >= ? AND a.shown_at < ? AND (? IS NULL OR r.rule_id = ?) ";

    /** Whether card {@code a} has feedback matching {@code condition} (on {@code f}). */
    private static String feedback(String condition) {
        return " EXISTS (SELECT 1 FROM feedback f WHERE f.card_uuid = a.card_uuid AND f.service_id = a.service_id"
                + (condition.isEmpty() ? "" : " AND " + condition) + ") ";
    }

    private static String countWhen(String condition) {
        return " SUM(CASE WHEN " + condition + " THEN 1 ELSE 0 END) ";
    }

    private final DataSource dataSource;

    public RuleAnalytics(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every rule shown in [from, to), or only {@code ruleId} when it is not null; ordered by rule id. */
    public List<RuleCounts> rules(Instant from, Instant to, String ruleId) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, List<ReasonCount>> reasons = new LinkedHashMap<>();
        Map<String, List<SuggestionCount>> suggestions = new LinkedHashMap<>();
        Map<String, Long> comments = new LinkedHashMap<>();
        String overridden = "f.outcome = 'overridden'";
        try (Connection connection = dataSource.getConnection()) {
            query(connection, "SELECT r.rule_id, COUNT(*)," + countWhen(feedback("f.outcome = 'accepted'")) + ","
                    + countWhen(feedback(overridden)) + "," + countWhen("NOT" + feedback("")) + ","
                    + countWhen(feedback(overridden + " AND f.override_reason_code IS NULL")
                            + "AND NOT" + feedback(overridden + " AND f.override_reason_code IS NOT NULL"))
                    + SHOWN_RULES + "WHERE" + IN_PERIOD + "GROUP BY r.rule_id ORDER BY r.rule_id", from, to, ruleId, rows -> {
                        while (rows.next()) {
                            counts.put(rows.getString(1), new long[] {rows.getLong(2), rows.getLong(3), rows.getLong(4),
                                    rows.getLong(5), rows.getLong(6)});
                        }
                    });
            query(connection, "SELECT r.rule_id, f.override_reason_system, f.override_reason_code, COUNT(DISTINCT a.card_uuid)"
                    + SHOWN_RULES + "JOIN feedback f ON f.card_uuid = a.card_uuid AND f.service_id = a.service_id AND "
                    + overridden + " WHERE" + IN_PERIOD + "AND f.override_reason_code IS NOT NULL "
                    + "GROUP BY r.rule_id, f.override_reason_system, f.override_reason_code "
                    + "ORDER BY r.rule_id, COUNT(DISTINCT a.card_uuid) DESC, f.override_reason_code", from, to, ruleId, rows -> {
                        while (rows.next()) {
                            reasons.computeIfAbsent(rows.getString(1), k -> new ArrayList<>())
                                    .add(new ReasonCount(rows.getString(2), rows.getString(3), rows.getLong(4)));
                        }
                    });
            // a comment repeated on one card (the same feedback sent again) is one comment
            query(connection, "SELECT r.rule_id, COUNT(*)" + SHOWN_RULES + "JOIN (SELECT DISTINCT card_uuid, service_id, "
                    + "user_comment FROM feedback WHERE user_comment IS NOT NULL) c ON c.card_uuid = a.card_uuid "
                    + "AND c.service_id = a.service_id WHERE" + IN_PERIOD + "GROUP BY r.rule_id", from, to, ruleId, rows -> {
                        while (rows.next()) {
                            comments.put(rows.getString(1), rows.getLong(2));
                        }
                    });
            // accepted_suggestions holds the accepted ids separated by spaces
            query(connection, "SELECT r.rule_id, s.label, COUNT(DISTINCT s.suggestion_uuid)" + SHOWN_RULES
                    + "JOIN card_audit_suggestion s ON s.card_uuid = a.card_uuid WHERE" + IN_PERIOD + "AND"
                    + feedback("f.outcome = 'accepted' AND (' ' || f.accepted_suggestions || ' ') LIKE ('% ' || s.suggestion_uuid || ' %')")
                    + "GROUP BY r.rule_id, s.label ORDER BY r.rule_id, COUNT(DISTINCT s.suggestion_uuid) DESC, s.label",
                    from, to, ruleId, rows -> {
                        while (rows.next()) {
                            suggestions.computeIfAbsent(rows.getString(1), k -> new ArrayList<>())
                                    .add(new SuggestionCount(rows.getString(2), rows.getLong(3)));
                        }
                    });
        } catch (SQLException e) {
            throw new StoreUnavailableException("rule analytics could not be read", e);
        }
        List<RuleCounts> out = new ArrayList<>();
        counts.forEach((rule, c) -> out.add(new RuleCounts(rule, c[0], c[1], c[2], c[3], c[4], comments.getOrDefault(rule, 0L),
                List.copyOf(reasons.getOrDefault(rule, List.of())), List.copyOf(suggestions.getOrDefault(rule, List.of())))));
        return out;
    }

    private interface Rows {
        void read(ResultSet rows) throws SQLException;
    }

    private static void query(Connection connection, String sql, Instant from, Instant to, String ruleId, Rows reader)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            statement.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            statement.setString(3, ruleId);
            statement.setString(4, ruleId);
            try (ResultSet rows = statement.executeQuery()) {
                reader.read(rows);
            }
        }
    }
}
