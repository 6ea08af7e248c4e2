package org.pumpcds.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The audit writer while the database is down: cards wait in the bounded queue and are written once it is back;
 * only cards that find the queue full, or are unwritten when a shutdown's grace runs out, are lost, and counted.
 */
class CardAuditWriterTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicBoolean databaseDown = new AtomicBoolean();
    private final AtomicInteger connections = new AtomicInteger();
    private DataSource database;

    @BeforeEach
    void schema() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:audit-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        ResourceDatabasePopulator schema = new ResourceDatabasePopulator();
        for (String script : List.of("V1__feedback.sql", "V2__card_audit.sql")) {
            schema.addScript(new ClassPathResource("org/pumpcds/db/migration/" + script));
        }
        schema.execute(h2);
        database = new SwitchableDataSource(h2, databaseDown, connections);
    }

    private static AuditedCard card(String uuid) {
        return new AuditedCard(uuid, "pump-order-sign", "order-sign", "h-1", "critical", "ma-2024-02", Instant.now(), "k",
                List.of(new AuditedCard.Rule("ma-2024-02.documentation", "unmet", "critical")),
                List.of(new AuditedCard.SuggestionShown("s-" + uuid, "Refill within 40 days")));
    }

    @Test
    void cardsWaitForTheDatabaseAndAreWrittenWhenItIsBack() throws Exception {
        databaseDown.set(true);
        try (CardAuditWriter writer = new CardAuditWriter(database, 10, Duration.ofMillis(50), Duration.ofSeconds(2), meters)) {
            writer.record(List.of(card("c1"), card("c2"), card("c3")));
            assertThat(writer.flush(Duration.ofMillis(300))).as("nothing can be written yet").isFalse();
            databaseDown.set(false);
            assertThat(writer.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(writer.lostCount()).isZero();
        }
        assertThat(rows("SELECT COUNT(*) FROM card_audit")).isEqualTo(3);
        assertThat(rows("SELECT COUNT(*) FROM card_audit_rule")).isEqualTo(3);
        assertThat(meters.get("pumpcds.audit.cards.written").counter().count()).isEqualTo(3);
    }

    @Test
    void aFullQueueLosesCardsAndCountsEachOneWhileTheDatabaseIsDown() throws Exception {
        databaseDown.set(true);
        try (CardAuditWriter writer = new CardAuditWriter(database, 2, Duration.ofMillis(50), Duration.ofMillis(200), meters)) {
            writer.record(List.of(card("c0")));
            Thread.sleep(300); // the writer has taken c0 and found the database down
            writer.record(List.of(card("c1"), card("c2"), card("c3"), card("c4"), card("c5")));
            assertThat(meters.get("pumpcds.audit.cards.lost").counter().count()).as("no room, no wait").isEqualTo(3.0);
        }
        // shut down with the database still down: what was held and queued is lost too, and counted
        assertThat(meters.get("pumpcds.audit.cards.lost").counter().count()).isEqualTo(6.0);
        assertThat(meters.get("pumpcds.audit.cards.written").counter().count()).isZero();
    }

    @Test
    void aCardTheDatabaseRefusesAsDataIsCountedLostAndTheOthersAreWritten() throws Exception {
        AuditedCard tooLong = new AuditedCard("c-long", "pump-order-sign", "order-sign", "h".repeat(200), "critical", null,
                Instant.now(), "k", List.of(), List.of());
        try (CardAuditWriter writer = new CardAuditWriter(database, 10, Duration.ofMillis(50), Duration.ofSeconds(2), meters)) {
            writer.record(List.of(card("c1"), tooLong, card("c2")));
            assertThat(writer.flush(Duration.ofSeconds(5))).as("not retried forever").isTrue();
            writer.record(List.of(card("c3")));
            assertThat(writer.flush(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(rows("SELECT COUNT(*) FROM card_audit")).isEqualTo(3);
        assertThat(meters.get("pumpcds.audit.cards.lost").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aWriterBehindAnAnsweringDatabaseSlowsCallsInsteadOfLosingCards() throws Exception {
        try (CardAuditWriter writer = new CardAuditWriter(database, 1, Duration.ofMillis(50), Duration.ofSeconds(5), meters)) {
            for (int i = 0; i < 200; i++) {
                writer.record(List.of(card("c" + i), card("d" + i)));
            }
            assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(rows("SELECT COUNT(*) FROM card_audit")).isEqualTo(400);
        assertThat(meters.get("pumpcds.audit.cards.lost").counter().count()).isZero();
    }

    @Test
    void cardsOfCallsCloseTogetherAreWrittenInOneTransaction() throws Exception {
        try (CardAuditWriter writer = new CardAuditWriter(database, 10_000, Duration.ofMillis(50), Duration.ofSeconds(5), meters)) {
            for (int i = 0; i < 20; i++) { // one call every 3 ms, as under load: a commit each would cost more than the inserts
                writer.record(List.of(card("c" + i)));
                Thread.sleep(3);
            }
            assertThat(writer.flush(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(connections.get()).as("transactions for 20 cards").isLessThanOrEqualTo(3);
        assertThat(rows("SELECT COUNT(*) FROM card_audit")).isEqualTo(20);
    }

    @Test
    void closeWritesWhatIsQueued() throws Exception {
        try (CardAuditWriter writer = new CardAuditWriter(database, 100, Duration.ofMillis(50), Duration.ofSeconds(5), meters)) {
            for (int i = 0; i < 50; i++) {
                writer.record(List.of(card("c" + i)));
            }
        }
        assertThat(rows("SELECT COUNT(*) FROM card_audit")).isEqualTo(50);
        assertThat(meters.get("pumpcds.audit.cards.lost").counter().count()).isZero();
    }

    private int rows(String count) throws SQLException {
        try (Connection connection = database.getConnection(); ResultSet result = connection.createStatement().executeQuery(count)) {
            result.next();
            return result.getInt(1);
        }
    }

    /** A database that refuses connections while {@code down} is set, as one that is restarting does. */
    private record SwitchableDataSource(DataSource target, AtomicBoolean down, AtomicInteger connections) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            connections.incrementAndGet();
            if (down.get()) {
                throw new SQLTransientConnectionException("database down", "08001");
            }
            return target.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
