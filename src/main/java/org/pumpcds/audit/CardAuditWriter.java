package org.pumpcds.audit;

import org.pumpcds.feedback.SqlStates;
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
 * only what finds the queue full then, or is still unwritten when a shutdown's grace period ends, is lost, and every
 * such card is counted ({@code pumpcds.audit.cards.lost}). A database that is up but slower than the calls slows the
 * calls instead (back-pressure). Close flushes what is queued.
 */
public final class CardAuditWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CardAuditWriter.class);
    private static final int BATCH = 500;
    private static final int MAX_LABEL = 200;
    private static final long LOSS_WARNING_EVERY_NANOS = 60_000_000_000L;
    private static final Duration BACKPRESSURE = Duration.ofSeconds(1);
    /**
     * How long the writer lets a batch fill before writing it, unless a full batch is queued first. Each commit
     * rewrites the index pages it touched (on H2, to the file), so a commit per few cards cost more than the inserts.
     */
    private static final long LINGER_MILLIS = 100;
    private static final long LINGER_STEP_MILLIS = 10;

    private final DataSource dataSource;
    private final BlockingQueue<AuditedCard> queue;
    /** Queued cards at which the writer stops lingering: a batch's worth, or half the queue if that is less. */
    private final int fullBatch;
    private final Duration retryDelay;
    private final Duration closeGrace;
    private final Counter written;
    private final Counter lost;
    /** Cards handed over and not yet written or counted lost. */
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong lastLossWarning = new AtomicLong(System.nanoTime() - LOSS_WARNING_EVERY_NANOS - 1);
    private final Thread writer;
    private volatile boolean closing;
    /** Set by the writer while the database refuses connections; cleared once a batch is written. */
    private volatile boolean databaseDown;
    /** After close() is called, when a database still down stops the retries (nanoTime). */
    private volatile long closeDeadline = Long.MAX_VALUE;

    public CardAuditWriter(DataSource dataSource, int capacity, Duration retryDelay, Duration closeGrace,
            MeterRegistry meters) {
        this.dataSource = dataSource;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.fullBatch = Math.min(BATCH - 1, capacity / 2);
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

    /**
     * Hands the cards of one answer over. A full queue while the database answers means the writer is behind: the
     * call waits for room, up to {@link #BACKPRESSURE}, so load beyond what the database takes slows calls rather
     * than losing cards. While the database is down the call never waits; a card that finds no room is lost.
     */
    public void record(List<AuditedCard> cards) {
        for (AuditedCard card : cards) {
            pending.incrementAndGet();
            if (!queued(card)) {
                lose(1);
                warnOfLoss();
            }
        }
    }

    private boolean queued(AuditedCard card) {
        if (closing) {
            return false;
        }
        try {
            return queue.offer(card) || !databaseDown && queue.offer(card, BACKPRESSURE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the call is being cancelled: the card is counted lost
            return false;
        }
    }

    /** At most once a minute: a full queue is otherwise visible only in the metric. */
    private void warnOfLoss() {
        long now = System.nanoTime();
        long last = lastLossWarning.get();
        if (now - last > LOSS_WARNING_EVERY_NANOS && lastLossWarning.compareAndSet(last, now)) {
            log.warn("card audit: queue full ({} cards); {} cards lost so far (pumpcds.audit.cards.lost)",
                    queue.size(), (long) lost.count());
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
        closeDeadline = System.nanoTime() + closeGrace.toNanos();
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
        boolean failing = false;
        while (true) {
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
                    linger();
                    queue.drainTo(batch, BATCH - 1);
                }
                int stored = write(batch);
                written.increment(stored);
                pending.addAndGet(-stored);
                lose(batch.size() - stored); // cards the database refused as data (counted, never retried)
                batch.clear();
                if (failing) {
                    log.info("card audit: database reachable again; writing resumed");
                    failing = false;
                    databaseDown = false;
                }
            } catch (SQLException e) {
                databaseDown = true;
                if (!failing) {
                    // the state only: the message of a failed insert may quote the values
                    log.warn("card audit: database unavailable (SQLState {}); {} cards wait to be written",
                            e.getSQLState(), batch.size() + queue.size());
                    failing = true;
                }
                if (System.nanoTime() > closeDeadline) {
                    loseAll(batch, "shut down with the database unavailable");
                    return;
                }
                try {
                    Thread.sleep(retryDelay.toMillis());
                } catch (InterruptedException interrupted) {
                    loseAll(batch, "interrupted with the database unavailable");
                    return;
                }
            } catch (InterruptedException e) {
                loseAll(batch, "interrupted");
                return;
            }
        }
    }

    /** Waits for more cards to write with the first, in steps, so a busy queue wakes the writer no more often. */
    private void linger() throws InterruptedException {
        for (long waited = 0; waited < LINGER_MILLIS && !closing && queue.size() < fullBatch;
                waited += LINGER_STEP_MILLIS) {
            Thread.sleep(LINGER_STEP_MILLIS);
        }
    }

    /** Counts as lost the batch in hand and everything queued. */
    private void loseAll(List<AuditedCard> batch, String why) {
        List<AuditedCard> unwritten = new ArrayList<>(batch);
        batch.clear();
        queue.drainTo(unwritten);
        lose(unwritten.size());
        log.warn("card audit: {}; {} cards lost", why, unwritten.size());
    }

    /**
     * One transaction for the batch; if the database refuses it as data (SQLState class 22: a value it cannot hold;
     * 23: a card already on file, from a retried batch that had committed), card by card, skipping those. Returns
     * the cards written; a connection failure throws, and the batch is retried.
     */
    private int write(List<AuditedCard> batch) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                insert(connection, batch);
                connection.commit();
                return batch.size();
            } catch (SQLException e) {
                connection.rollback();
                if (!refusedAsData(e)) {
                    throw e;
                }
            }
            int stored = 0;
            for (AuditedCard card : batch) {
                try {
                    insert(connection, List.of(card));
                    connection.commit();
                    stored++;
                } catch (SQLException e) {
                    connection.rollback();
                    if (!refusedAsData(e)) {
                        throw e;
                    }
                    if (SqlStates.alreadyStored(e)) {
                        stored++; // already written by an earlier attempt
                    }
                }
            }
            return stored;
        }
    }

    private static boolean refusedAsData(SQLException e) {
        return SqlStates.valueRefused(e) || SqlStates.alreadyStored(e);
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
