package org.pumpcds.cards;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * UUIDs for cards and suggestions: time-ordered (RFC 9562 version 7: the millisecond, then 74 random bits), so the
 * card audit's keys grow at one end of their index instead of rewriting pages all over it (random keys made each
 * audit write about four times dearer on the embedded database), and unguessable, so feedback cannot be posted for
 * a card one was never shown. Each thread has its own generator: {@link UUID#randomUUID()} shares one lock across
 * the process, and under concurrent calls threads queued on it for tens of milliseconds.
 */
final class CardIds {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(() -> {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    });

    private CardIds() {
    }

    static String next() {
        SecureRandom random = RANDOM.get();
        long high = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextInt() & 0x0fffL); // version 7
        long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L; // IETF variant
        return new UUID(high, low).toString();
    }
}
