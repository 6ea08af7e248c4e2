package org.pumpcds.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the card audit off the request's critical path: a call hands its cards over before its answer is sent and
 * one thread writes them in batches. While the database is down the cards wait in a bounded queue and are retried;
 * only what finds the queue full, or is still unwritten when a shutdown's grace period ends, is lost, and every
 * such card is counted ({@code pumpcds.audit.cards.lost}). Close flushes what is queued.
 */
public final class CardAuditWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CardAuditWriter.class);
    private static final int BATCH = 500;
    private static final int MAX_LABEL = 200;

    private final DataSource dataSource;
    private final BlockingQueue<AuditedCard> queue;
    private final Duration retryDelay;
    private final Duration closeGrace;
    private final Counter written;
    private final Counter lost;
    /** Cards handed over and not yet written or counted lost. */
    private final AtomicLong pending = new AtomicLong();
    private final Thread writer;
    private volatile boolean closing;

    public CardAuditWriter(DataSource dataSource, int capacity, Duration retryDelay, Duration closeGrace,
            MeterRegistry meters) {
        this.dataSource = dataSource;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.retryDelay = retryDelay;
        this.closeGrace = closeGrace;
        this.written = Counter.builder("pumpcds.audit.cards.written").description("cards written to the card audit")
                .register(meters);
        this.lost = Counter.builder("pumpcds.audit.cards.lost")
                .description("cards never written to the card audit (queue full, or unwritten at shutdown)").register(meters);
        Gauge.builder("pumpcds.audit.queue.size", queue, BlockingQueue::size)
                .description("cards waiting to be written to the card audit").register(meters);
        this.writer = new Thread(this::run, "card-audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Hands the cards of one answer over; never blocks the call. */
    public void record(List<AuditedCard> cards) {
        for (AuditedCard card : cards) {
            pending.incrementAndGet();
            if (closing || !queue.offer(card)) {
                lose(1);
            }
        }
    }

    /** Waits until every card handed over so far is written or counted lost; false if the time ran out. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (pending.get() > 0) {
            if (System.nanoTime() > until) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** The cards lost so far. */
    public long lostCount() {
        return (long) lost.count();
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        writer.join(closeGrace.toMillis() + retryDelay.toMillis());
        if (writer.isAlive()) {
            writer.interrupt();
            writer.join(1000);
        }
    }

    private void lose(int cards) {
        lost.increment(cards);
        pending.addAndGet(-cards);
    }

    private void run() {
        List<AuditedCard> batch = new ArrayList<>();
        long closeDeadline = Long.MAX_VALUE;
        boolean failing = false;
        while (true) {
            if (closing && closeDeadline == Long.MAX_VALUE) {
                closeDeadline = System.nanoTime() + closeGrace.toNanos();
            }
            try {
                if (batch.isEmpty()) {
                    AuditedCard first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (closing) {
                            return;
                        }
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                }
                write(batch);
                written.increment(batch.size());
                pending.addAndGet(-batch.size());
                batch.clear();
                if (failing) {
                    log.info("card audit: database reachable again; writing resumed");
                    failing = false;
                }
            } catch (SQLException e) {
                if (!failing) {
                    // the state only: the message of a failed insert may quote the values
                    log.warn("card audit: database unavailable (SQLState {}); {} cards wait to be written",
                            e.getSQLState(), batch.size() + queue.size());
                    failing = true;
                }
                if (System.nanoTime() > closeDeadline) {
                    List<AuditedCard> unwritten = new ArrayList<>(batch);
                    queue.drainTo(unwritten);
                    lose(unwritten.size());
                    log.warn("card audit: shut down with the database unavailable; {} cards lost", unwritten.size());
                    return;
                }
                sleepQuietly(retryDelay);
            } catch (InterruptedException e) {
                List<AuditedCard> rest = new ArrayList<>(batch);
                queue.drainTo(rest);
                lose(rest.size());
                return;
            }
        }
    }

    private static void sleepQuietly(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One transaction for the batch; a card already on file (a retried batch that had committed) is skipped. */
    private void write(List<AuditedCard> batch) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                insert(connection, batch);
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                    throw e;
                }
                for (AuditedCard card : batch) {
                    try {
                        insert(connection, List.of(card));
                        connection.commit();
                    } catch (SQLException duplicate) {
                        connection.rollback();
                        if (duplicate.getSQLState() == null || !duplicate.getSQLState().startsWith("23")) {
                            throw duplicate;
                        }
                    }
                }
            }
        }
    }

    private static void insert(Connection connection, List<AuditedCard> cards) throws SQLException {
        try (PreparedStatement card = connection.prepareStatement("""
                INSERT INTO card_audit (card_uuid, service_id, hook, hook_instance, indicator, policy, shown_at, patient_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""");
                PreparedStatement rule = connection.prepareStatement(
                        "INSERT INTO card_audit_rule (card_uuid, rule_id, status, indicator) VALUES (?, ?, ?, ?)");
                PreparedStatement suggestion = connection.prepareStatement(
                        "INSERT INTO card_audit_suggestion (suggestion_uuid, card_uuid, label) VALUES (?, ?, ?)")) {
            for (AuditedCard c : cards) {
                card.setString(1, c.cardUuid());
                card.setString(2, c.serviceId());
                card.setString(3, c.hook());
                card.setString(4, c.hookInstance());
                card.setString(5, c.indicator());
                card.setString(6, c.policy());
                card.setObject(7, OffsetDateTime.ofInstant(c.shownAt(), ZoneOffset.UTC));
                card.setString(8, c.patientKey());
                card.addBatch();
                for (AuditedCard.Rule r : c.rules()) {
                    rule.setString(1, c.cardUuid());
                    rule.setString(2, r.ruleId());
                    rule.setString(3, r.status());
                    rule.setString(4, r.indicator());
                    rule.addBatch();
                }
                for (AuditedCard.SuggestionShown s : c.suggestions()) {
                    suggestion.setString(1, s.uuid());
                    suggestion.setString(2, c.cardUuid());
                    suggestion.setString(3, s.label() == null ? "" : s.label().substring(0, Math.min(MAX_LABEL, s.label().length())));
                    suggestion.addBatch();
                }
            }
            card.executeBatch();
            rule.executeBatch();
            suggestion.executeBatch();
        }
    }
}
