package org.pumpcds.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * A real HTTP server on loopback that misbehaves as a FHIR server can: answers late, with an error status, with a
 * redirect, by dripping one byte a second, with a gzip bomb or with an endless body. It counts the requests it
 * received (in all and per path), the ones carrying an Authorization header, and the answers still being written.
 */
public final class StubHttpServer implements AutoCloseable {

    @FunctionalInterface
    private interface Behaviour {
        void answer(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private static final byte[] OUTCOME = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"security\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger withToken = new AtomicInteger();
    private final AtomicInteger answering = new AtomicInteger();
    private final Map<String, AtomicInteger> byPath = new ConcurrentHashMap<>();

    private StubHttpServer(Behaviour behaviour) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byPath.computeIfAbsent(exchange.getRequestURI().getRawPath(), path -> new AtomicInteger()).incrementAndGet();
            if (exchange.getRequestHeaders().containsKey("Authorization")) {
                withToken.incrementAndGet();
            }
            answering.incrementAndGet();
            try {
                behaviour.answer(exchange);
            } catch (IOException e) {
                // the client went away: exactly what an aborted request looks like from here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                answering.decrementAndGet();
                exchange.close();
            }
        });
        server.start();
    }

    public static StubHttpServer slow(Duration delay) {
        return new StubHttpServer(exchange -> {
            Thread.sleep(delay.toMillis());
            send(exchange, 200, OUTCOME);
        });
    }

    /**
     * A FHIR server that takes {@code delay} over every answer: the resource stored under a read's path below /fhir
     * ({@code Medication/m1}), else 404.
     */
    public static StubHttpServer slowReads(Duration delay, Map<String, String> resourcesByPath) {
        return new StubHttpServer(exchange -> {
            Thread.sleep(delay.toMillis());
            String resource = resourcesByPath.get(exchange.getRequestURI().getRawPath().replaceFirst("^/fhir/", ""));
            send(exchange, resource == null ? 404 : 200, resource == null ? OUTCOME : resource.getBytes(StandardCharsets.UTF_8));
        });
    }

    public static StubHttpServer answering(int status) {
        return new StubHttpServer(exchange -> send(exchange, status, OUTCOME));
    }

    /** Answers every request with {@code status} and a Location on {@code elsewhere}, keeping the path. */
    public static StubHttpServer redirecting(int status, String elsewhere) {
        return new StubHttpServer(exchange -> {
            exchange.getResponseHeaders().add("Location", elsewhere + exchange.getRequestURI());
            exchange.sendResponseHeaders(status, -1);
        });
    }

    /** 200 with FHIR headers, then one byte a second, for a minute. */
    public static StubHttpServer dripping() {
        return new StubHttpServer(exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(200, 0);
            OutputStream body = exchange.getResponseBody();
            for (int i = 0; i < 60; i++) {
                body.write(i == 0 ? '{' : ' ');
                body.flush();
                Thread.sleep(1000);
            }
        });
    }

    /** A small gzip answer that inflates to {@code inflatedBytes} of JSON whitespace inside a Bundle. */
    public static StubHttpServer gzipBomb(int inflatedBytes) {
        byte[] compressed;
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                gzip.write("{\"resourceType\":\"Bundle\",\"type\":\"searchset\"".getBytes(StandardCharsets.UTF_8));
                byte[] spaces = new byte[1 << 20];
                java.util.Arrays.fill(spaces, (byte) ' ');
                for (int written = 0; written < inflatedBytes; written += spaces.length) {
                    gzip.write(spaces);
                }
                gzip.write('}');
            }
            compressed = out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new StubHttpServer(exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            exchange.getResponseHeaders().add("Content-Encoding", "gzip");
            send(exchange, 200, compressed);
        });
    }

    /** A well-formed searchset Bundle of about {@code bytes} bytes (one Patient padded with a long text). */
    public static StubHttpServer largeBundle(int bytes) {
        return new StubHttpServer(exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(200, 0);
            OutputStream body = exchange.getResponseBody();
            body.write("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"text\":\""
                    .getBytes(StandardCharsets.UTF_8));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'a');
            for (int written = 0; written < bytes; written += chunk.length) {
                body.write(chunk);
            }
            body.write("\"}]}}]}".getBytes(StandardCharsets.UTF_8));
        });
    }

    /** Forwards each GET to {@code target} after {@code rewrite} has changed its path and query: a server that lies. */
    public static StubHttpServer forwarding(String target, java.util.function.UnaryOperator<String> rewrite) {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        return new StubHttpServer(exchange -> {
            String pathAndQuery = exchange.getRequestURI().getRawPath().replaceFirst("^/fhir", "")
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            java.net.http.HttpResponse<byte[]> answer = client.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(target + rewrite.apply(pathAndQuery))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            send(exchange, answer.statusCode(), answer.body());
        });
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/fhir";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public int requests() {
        return requests.get();
    }

    /** Requests received per path (below /fhir, as in {@code Medication/m1}). */
    public Map<String, Integer> requestsByPath() {
        Map<String, Integer> counts = new TreeMap<>();
        byPath.forEach((path, count) -> counts.put(path.replaceFirst("^/fhir/", ""), count.get()));
        return counts;
    }

    public int requestsWithToken() {
        return withToken.get();
    }

    /** Answers still being written: a dripping answer the client aborted ends as soon as the next byte fails. */
    public int stillAnswering() {
        return answering.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
