package org.pumpcds.hooks;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Remembers each token id until its token expires, so a token is accepted once. Bounded: when full it refuses new
 * ids instead of forgetting unexpired ones, which would let a replay through. Expired ids leave in expiry order.
 */
final class ReplayGuard {

    enum Verdict { FIRST_USE, REPLAYED, FULL }

    private record Seen(Instant expires, String id) {
    }

    private final int capacity;
    private final Map<String, Instant> seen = new HashMap<>();
    private final PriorityQueue<Seen> byExpiry = new PriorityQueue<>((a, b) -> a.expires().compareTo(b.expires()));

    ReplayGuard(int capacity) {
        this.capacity = capacity;
    }

    synchronized Verdict firstUse(String id, Instant expires, Instant now) {
        while (!byExpiry.isEmpty() && byExpiry.peek().expires().isBefore(now)) {
            Seen gone = byExpiry.poll();
            seen.remove(gone.id(), gone.expires());
        }
        if (seen.containsKey(id)) {
            return Verdict.REPLAYED;
        }
        if (seen.size() >= capacity) {
            return Verdict.FULL;
        }
        seen.put(id, expires);
        byExpiry.add(new Seen(expires, id));
        return Verdict.FIRST_USE;
    }
}
