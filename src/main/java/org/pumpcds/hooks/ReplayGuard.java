package org.pumpcds.hooks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Remembers each token id until its token expires, in the database, so a token is accepted once by whichever
 * instance sees it first: the table's primary key decides, atomically, across instances. An id is kept as the
 * SHA-256 of issuer and jti. One insert per token; ids expired for five minutes are deleted when met again and, at
 * most once a minute, all together. While the database is unreachable no token can be checked, and the caller answers 503.
 */
final class ReplayGuard {

    enum Verdict { FIRST_USE, REPLAYED, UNAVAILABLE }

    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);
    /** Instances' clocks may differ by this much: an id is deleted only this long after its token expired. */
    private static final Duration CLOCK_MARGIN = Duration.ofMinutes(5);

    private final DataSource dataSource;
    private final AtomicLong nextPurge = new AtomicLong();

    ReplayGuard(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Verdict firstUse(String id, Instant expires, Instant now) {
        String key = sha256(id);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            purgeIfDue(connection, now);
            if (inserted(connection, key, expires)) {
                return Verdict.FIRST_USE;
            }
            // the id is on file: a replay, unless it is left from a token long expired (an issuer reusing a jti)
            try (PreparedStatement expired = connection.prepareStatement(
                    "DELETE FROM token_replay WHERE token_key = ? AND expires_at < ?")) {
                expired.setString(1, key);
                expired.setObject(2, OffsetDateTime.ofInstant(now.minus(CLOCK_MARGIN), ZoneOffset.UTC));
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
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                return false;
            }
            throw e;
        }
    }

    /** Rows expired for longer than {@link #CLOCK_MARGIN}, so an instance whose clock runs ahead deletes none too early. */
    private void purgeIfDue(Connection connection, Instant now) throws SQLException {
        long due = nextPurge.get();
        if (now.toEpochMilli() < due || !nextPurge.compareAndSet(due, now.plus(PURGE_EVERY).toEpochMilli())) {
            return;
        }
        try (PreparedStatement purge = connection.prepareStatement("DELETE FROM token_replay WHERE expires_at < ?")) {
            purge.setObject(1, OffsetDateTime.ofInstant(now.minus(CLOCK_MARGIN), ZoneOffset.UTC));
            purge.executeUpdate();
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
