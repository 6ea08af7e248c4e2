package org.pumpcds.cards;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CardIdsTest {

    @Test
    void areVersionSevenUuidsThatDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = CardIds.next();
            UUID parsed = UUID.fromString(id);
            assertThat(parsed.version()).isEqualTo(7);
            assertThat(parsed.variant()).isEqualTo(2);
            assertThat(parsed.toString()).isEqualTo(id);
            assertThat(seen.add(id)).as("repeated %s", id).isTrue();
        }
    }

    @Test
    void carryTheMillisecondFirstSoLaterIdsSortLater() throws InterruptedException {
        long before = System.currentTimeMillis();
        String first = CardIds.next();
        Thread.sleep(3);
        String second = CardIds.next();
        assertThat(UUID.fromString(first).getMostSignificantBits() >>> 16).isBetween(before, before + 1000);
        assertThat(second).isGreaterThan(first);
    }

    @Test
    void keepSeventyFourRandomBits() {
        // two ids in the same millisecond still differ in their random part (rand_a and rand_b)
        String a = CardIds.next();
        String b = CardIds.next();
        UUID x = UUID.fromString(a);
        UUID y = UUID.fromString(b);
        assertThat((x.getMostSignificantBits() & 0x0fffL) != (y.getMostSignificantBits() & 0x0fffL)
                || x.getLeastSignificantBits() != y.getLeastSignificantBits()).isTrue();
    }
}
