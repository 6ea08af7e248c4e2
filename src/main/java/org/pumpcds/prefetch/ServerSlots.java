package org.pumpcds.prefetch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The bulkhead in front of each FHIR server: at most {@code maxPerServer} requests in flight to one server. A request
 * that finds them all taken waits its turn (holding no thread) until a slot frees or its call's deadline passes, so
 * a busy hour queues briefly instead of failing calls; one slow server still cannot take every connection. The
 * queue per server is bounded too, beyond it a request fails at once.
 */
final class ServerSlots {

    private final int maxPerServer;
    private final int maxWaiting;
    private final Map<String, Server> servers = new HashMap<>();

    private static final class Server {
        int inFlight;
        final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    }

    ServerSlots(int maxPerServer) {
        this.maxPerServer = maxPerServer;
        this.maxWaiting = maxPerServer * 8;
    }

    /**
     * A slot to the origin, now or when one frees within {@code wait}; the future fails (TimeoutException, or a
     * {@link FetchFailedException} when the queue is full) when none does. Whoever gets a slot must {@link #release} it.
     */
    synchronized CompletableFuture<Void> acquire(String origin, Duration wait) {
        Server server = servers.computeIfAbsent(origin, o -> new Server());
        if (server.inFlight < maxPerServer) {
            server.inFlight++;
            return CompletableFuture.completedFuture(null);
        }
        if (server.waiting.size() >= maxWaiting) {
            return CompletableFuture.failedFuture(new FetchFailedException("more than " + maxPerServer
                    + " queries were in flight to this server and " + maxWaiting + " waiting"));
        }
        CompletableFuture<Void> turn = new CompletableFuture<>();
        server.waiting.add(turn); // a turn that times out or is cancelled stays queued until release() skips it
        return turn.orTimeout(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** Gives the slot to the next request still waiting, or frees it. */
    void release(String origin) {
        while (true) {
            CompletableFuture<Void> next;
            synchronized (this) {
                Server server = servers.get(origin);
                if (server == null) {
                    return;
                }
                next = server.waiting.poll();
                if (next == null) {
                    if (--server.inFlight == 0) {
                        servers.remove(origin);
                    }
                    return;
                }
            }
            if (next.complete(null)) { // outside the lock: the waiter's request starts from here
                return;
            }
        }
    }

    /** Requests in flight to the origin (for tests). */
    synchronized int inFlight(String origin) {
        Server server = servers.get(origin);
        return server == null ? 0 : server.inFlight;
    }
}
