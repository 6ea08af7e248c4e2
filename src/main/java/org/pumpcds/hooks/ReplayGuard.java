package org.pumpcds.hooks;

import org.pumpcds.audit.Retention;
import org.pumpcds.feedback.SqlStates;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import javax.sql.DataSource;

/**
 * Remembers each token id until its token expires, in the database, so a token is accepted once by whichever
 * instance sees it first: the table's primary key decides, atomically, across instances. An id is kept as the
 * SHA-256 of issuer and jti. One insert per token; ids expired for five minutes are deleted when met again, and all
 * together each minute off the request path ({@link Retention#purgeExpiredTokens}). While the database is unreachable
 * no token can be checked, and the caller answers 503.
 */
final class ReplayGuard {

    enum Verdict { FIRST_USE, REPLAYED, UNAVAILABLE }

    private final DataSource dataSource;

    ReplayGuard(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Verdict firstUse(String id, Instant expires, Instant now) {
        String key = sha256(id);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            if (inserted(connection, key, expires)) {
                return Verdict.FIRST_USE;
            }
            // the id is on file: a replay, unless it is left from a token long expired (an issuer reusing a jti)
            try (PreparedStatement expired = connection.prepareStatement(
                    "DELETE FROM token_replay WHERE token_key = ? AND expires_at < ?")) {
                expired.setString(1, key);
                expired.setObject(2, OffsetDateTime.ofInstant(now.minus(Retention.REPLAY_CLOCK_MARGIN), ZoneOffset.UTC));
                if (expired.executeUpdate() == 0) {
                    return Verdict.REPLAYED;
                }
            }
            return inserted(connection, key, expires) ? Verdict.FIRST_USE : Verdict.REPLAYED;
        } catch (SQLException e) {
            return Verdict.UNAVAILABLE;
        }
    }

    /** False when the key is already there (SQLState class 23), put by this or another instance. */
    private static boolean inserted(Connection connection, String key, Instant expires) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO token_replay (token_key, expires_at) VALUES (?, ?)")) {
            insert.setString(1, key);
            insert.setObject(2, OffsetDateTime.ofInstant(expires, ZoneOffset.UTC));
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (SqlStates.alreadyStored(e)) {
                return false;
            }
            throw e;
        }
    }

    private static String sha256(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
