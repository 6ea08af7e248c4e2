package org.pumpcds.prefetch;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Queries of one hook call run together: they share the call's deadline, and closing the scope aborts every request
 * still running, so a server that answers slowly or never holds no connection and no thread past the call.
 */
final class QueryScope implements AutoCloseable {

    private final CallDeadline deadline;
    private final Set<CompletableFuture<?>> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    QueryScope(CallDeadline deadline) {
        this.deadline = deadline;
    }

    /** Time left before the deadline; zero once it has passed. */
    Duration remaining() {
        return deadline.remaining();
    }

    boolean expired() {
        return closed || remaining().isZero();
    }

    /** Registers a running request so that {@link #close()} aborts it; cancels it at once if the scope is closed. */
    <T> CompletableFuture<T> track(CompletableFuture<T> request) {
        running.add(request);
        request.whenComplete((result, failure) -> running.remove(request));
        if (closed) {
            request.cancel(true);
        }
        return request;
    }

    @Override
    public void close() {
        closed = true;
        running.forEach(request -> request.cancel(true));
    }
}
