package org.pumpcds.prefetch;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.zip.GZIPInputStream;
import org.hl7.fhir.r4.model.Resource;
import org.pumpcds.net.HttpUrl;

/**
 * One GET of FHIR JSON from the EHR's server, hardened against a hostile or broken server:
 * <ul>
 *   <li>redirects are never followed, so the bearer token goes to the server it was granted for and nowhere else;</li>
 *   <li>an answer larger than the byte cap, counted after gzip decompression, is refused while it streams in;</li>
 *   <li>requests are asynchronous and belong to a {@link QueryScope} that aborts them at the call deadline, so a
 *       server that drips or stalls holds no thread;</li>
 *   <li>a bulkhead caps the requests in flight to any one server, so one bad server cannot take the connection pool
 *       that every other caller shares; a request beyond the cap waits its turn within the call deadline
 *       ({@link ServerSlots}).</li>
 * </ul>
 * Failures are {@link FetchFailedException}s whose message is for the log (it names the failure, never data or token).
 */
public final class FhirHttp {

    private final HttpClient http;
    private final FhirContext fhir;
    private final Executor parsing;
    private final long maxResponseBytes;
    private final Duration readTimeout;
    private final ServerSlots slots;

    public FhirHttp(FhirContext fhir, Executor executor, Duration connectTimeout, Duration readTimeout,
            long maxResponseBytes, int maxPerServer) {
        this.fhir = fhir;
        this.parsing = executor;
        this.readTimeout = readTimeout;
        this.maxResponseBytes = maxResponseBytes;
        this.slots = new ServerSlots(maxPerServer);
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .executor(executor)
                .build();
    }

    /**
     * The parsed answer; empty for a 404/410 when the caller reads "not there" as no data.
     *
     * @param server          the server the request is for (bulkhead key)
     * @param notFoundIsEmpty whether 404/410 means "no data" (a read) rather than a failure (a search)
     */
    CompletableFuture<Optional<Resource>> get(QueryScope scope, HttpUrl server, URI target, String token,
            boolean notFoundIsEmpty) {
        if (scope.expired()) {
            return CompletableFuture.failedFuture(new FetchFailedException("the call deadline had passed"));
        }
        String origin = server.origin();
        CompletableFuture<Void> turn = scope.track(slots.acquire(origin, scope.remaining()));
        CompletableFuture<HttpResponse<byte[]>> sent = turn.thenCompose(granted -> {
            if (scope.expired()) {
                slots.release(origin);
                return CompletableFuture.failedFuture(new FetchFailedException("the call deadline passed while waiting "
                        + "for a free slot to this server"));
            }
            Duration timeout = scope.remaining().compareTo(readTimeout) < 0 ? scope.remaining() : readTimeout;
            HttpRequest request = HttpRequest.newBuilder(target).GET()
                    .timeout(timeout.isZero() ? Duration.ofMillis(1) : timeout)
                    .header("Accept", "application/fhir+json")
                    .header("Accept-Encoding", "gzip")
                    .header("Authorization", "Bearer " + token)
                    .build();
            CompletableFuture<HttpResponse<byte[]>> response = scope.track(http.sendAsync(request, info ->
                    info.statusCode() == 200 ? new CappedBody(maxResponseBytes) : HttpResponse.BodySubscribers.replacing(null)));
            response.whenComplete((answer, failure) -> slots.release(origin));
            return response;
        });
        return sent.handleAsync((response, failure) -> {
            if (failure != null) {
                throw new FetchFailedException(describe(failure));
            }
            int status = response.statusCode();
            if (status == 200) {
                return Optional.of(parse(decoded(response.headers(), response.body())));
            }
            if (notFoundIsEmpty && (status == 404 || status == 410)) {
                return Optional.<Resource>empty();
            }
            if (status >= 300 && status < 400) {
                throw new FetchFailedException("the server answered a redirect (HTTP " + status + "); redirects are not followed");
            }
            throw new FetchFailedException("the server answered HTTP " + status);
        }, parsing);
    }

    private byte[] decoded(HttpHeaders headers, byte[] body) {
        String encoding = headers.firstValue("Content-Encoding").orElse("identity").trim();
        if (encoding.equalsIgnoreCase("identity")) {
            return body;
        }
        if (!encoding.equalsIgnoreCase("gzip")) {
            throw new FetchFailedException("the answer used an unsupported content encoding");
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return readCapped(in);
        } catch (IOException e) {
            throw new FetchFailedException("the gzip answer could not be decompressed");
        }
    }

    private byte[] readCapped(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = in.read(buffer)) != -1) {
            if (out.size() + (long) n > maxResponseBytes) {
                throw new FetchFailedException(tooLarge());
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private Resource parse(byte[] body) {
        IParser parser = fhir.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false));
        try {
            return (Resource) parser.parseResource(new ByteArrayInputStream(body));
        } catch (RuntimeException e) {
            throw new FetchFailedException("the answer could not be read as FHIR R4 JSON");
        }
    }

    private String tooLarge() {
        return "the answer was larger than " + maxResponseBytes + " bytes (pumpcds.fhir-query.max-response-size)";
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof FetchFailedException fetch) {
            return fetch.getMessage();
        }
        if (cause instanceof CancellationException) {
            return "aborted at the call deadline";
        }
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return "no free slot to this server (pumpcds.fhir-query.max-per-server in flight) within the call deadline";
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return "the connection was not accepted within the connect timeout";
        }
        if (cause instanceof HttpTimeoutException) {
            return "no answer within the read timeout";
        }
        if (cause instanceof ConnectException) {
            return "the connection was refused";
        }
        return "the connection failed (" + cause.getClass().getSimpleName() + ")";
    }

    /** Collects a 200 answer's bytes, cancelling the exchange as soon as they pass the cap. */
    private final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final long cap;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        CappedBody(long cap) {
            this.cap = cap;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + (long) buffer.remaining() > cap) {
                    subscription.cancel();
                    result.completeExceptionally(new FetchFailedException(tooLarge()));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable failure) {
            result.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
