package org.pumpcds.prefetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ServerSlotsTest {

    private static final String EHR = "https://ehr.example";

    @Test
    void aRequestBeyondTheCapWaitsForTheNextFreeSlotInsteadOfFailing() {
        ServerSlots slots = new ServerSlots(2);
        assertThat(slots.acquire(EHR, Duration.ofSeconds(5))).isCompleted();
        assertThat(slots.acquire(EHR, Duration.ofSeconds(5))).isCompleted();
        CompletableFuture<Void> third = slots.acquire(EHR, Duration.ofSeconds(5));
        assertThat(third).isNotDone();
        assertThat(slots.acquire("https://other.example", Duration.ofSeconds(5))).as("other servers are not held up").isCompleted();
        slots.release(EHR);
        assertThat(third).isCompleted();
        assertThat(slots.inFlight(EHR)).isEqualTo(2);
        slots.release(EHR);
        slots.release(EHR);
        assertThat(slots.inFlight(EHR)).isZero();
    }

    @Test
    void aWaiterWhoseDeadlinePassedOrWasCancelledNeverTakesASlot() throws Exception {
        ServerSlots slots = new ServerSlots(1);
        slots.acquire(EHR, Duration.ofSeconds(5));
        CompletableFuture<Void> late = slots.acquire(EHR, Duration.ofMillis(20));
        CompletableFuture<Void> cancelled = slots.acquire(EHR, Duration.ofSeconds(5));
        CompletableFuture<Void> patient = slots.acquire(EHR, Duration.ofSeconds(5));
        cancelled.cancel(true);
        try {
            late.get();
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
        }
        slots.release(EHR);
        assertThat(patient).isCompleted();
        assertThat(slots.inFlight(EHR)).isEqualTo(1);
    }

    @Test
    void theQueueIsBoundedToo() {
        ServerSlots slots = new ServerSlots(1);
        slots.acquire(EHR, Duration.ofSeconds(5));
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            waiting.add(slots.acquire(EHR, Duration.ofSeconds(5)));
        }
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        assertThat(slots.acquire(EHR, Duration.ofSeconds(5))).isCompletedExceptionally();
    }
}
