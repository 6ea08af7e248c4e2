package org.pumpcds.prefetch;

import java.time.Duration;

/**
 * The one deadline of a hook call ({@code pumpcds.fhir-query.call-deadline}), counted from the call's start: the
 * prefetch fallback queries and the reads of referenced resources share it, so together they cannot take longer.
 */
public final class CallDeadline {

    private final long deadlineNanos;

    private CallDeadline(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    static CallDeadline startingNow(Duration budget) {
        return new CallDeadline(System.nanoTime() + budget.toNanos());
    }

    /** Time left; zero once the deadline has passed. */
    Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }
}
