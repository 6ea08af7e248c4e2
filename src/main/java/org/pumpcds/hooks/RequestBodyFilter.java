package org.pumpcds.hooks;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pumpcds.config.HttpLimitsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads every request body with non-blocking servlet I/O, before anything else looks at it, so a client that sends
 * its body slowly holds no worker thread: the body must arrive whole within {@code pumpcds.http.body-read-deadline}
 * (else 408) and within {@code pumpcds.http.max-body-size} (else 413, refused up front when Content-Length says so).
 * The complete body is then handed to the rest of the chain in an async dispatch, from memory.
 * Runs after authentication, so an unauthenticated client's body is never read at all.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class RequestBodyFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RequestBodyFilter.class);
    private static final String BODY = RequestBodyFilter.class.getName() + ".body";

    private static final int INITIAL_BUFFER_BYTES = 8192;

    private final long maxBytes;
    private final long deadlineMillis;

    RequestBodyFilter(HttpLimitsProperties limits) {
        this.maxBytes = limits.maxBodySize().toBytes();
        this.deadlineMillis = limits.bodyReadDeadline().toMillis();
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false; // the async dispatch is where the read body is handed on
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            byte[] body = (byte[]) request.getAttribute(BODY);
            chain.doFilter(body == null ? request : new BodyInMemory(request, body), response);
            return;
        }
        long declared = request.getContentLengthLong();
        // any Transfer-Encoding frames a body: Tomcat reads the header as a list ("chunked," is chunked) and refuses
        // codings it does not know, so only its absence, with no Content-Length, means no body
        boolean encoded = request.getHeader("Transfer-Encoding") != null;
        if (declared <= 0 && !encoded) {
            chain.doFilter(request, response);
            return;
        }
        if (declared > maxBytes) {
            tooLarge(response);
            return;
        }
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(deadlineMillis);
        Reader reader = new Reader(async, request.getInputStream(), response, declared);
        async.addListener(reader);
        request.getInputStream().setReadListener(reader);
    }

    private void tooLarge(HttpServletResponse response) throws IOException {
        ErrorBody.of("too-costly", "the request body is larger than " + maxBytes
                + " bytes (pumpcds.http.max-body-size)").write(response, 413);
    }

    /** Collects the body as it arrives; answers 413 or 408 itself, or dispatches with the whole body. */
    private final class Reader implements ReadListener, AsyncListener {

        private final AsyncContext async;
        private final ServletInputStream in;
        private final HttpServletResponse response;
        /**
         * Starts at 8 KB whatever the Content-Length says, so connections that declare bodies and send nothing hold
         * little memory each; grows by doubling up to the declared size, which ends the last growth exactly.
         */
        private byte[] body;
        private final long declared;
        private int size;
        private final AtomicBoolean finished = new AtomicBoolean();

        /** @param declared the Content-Length (at most the limit), or -1 when a Transfer-Encoding frames the body */
        Reader(AsyncContext async, ServletInputStream in, HttpServletResponse response, long declared) {
            this.async = async;
            this.in = in;
            this.response = response;
            this.declared = declared;
            this.body = new byte[declared > 0 ? (int) Math.min(declared, INITIAL_BUFFER_BYTES) : INITIAL_BUFFER_BYTES];
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (in.isReady() && !finished.get()) {
                if (size == body.length) {
                    if (declared > 0 && size >= declared) {
                        return; // a guard: Tomcat says not ready once the declared bytes are in, then calls onAllDataRead
                    }
                    long limit = declared > 0 ? declared : maxBytes + 1;
                    int grown = (int) Math.min(Math.min(limit, Integer.MAX_VALUE - 8), 2L * body.length);
                    if (grown == body.length) { // no array holds more: too large, whatever the limit says
                        refuseTooLarge();
                        return;
                    }
                    body = Arrays.copyOf(body, grown);
                }
                int n = in.read(body, size, body.length - size);
                if (n < 0) {
                    return;
                }
                size += n;
                if (size > maxBytes) {
                    refuseTooLarge();
                    return;
                }
            }
        }

        private void refuseTooLarge() throws IOException {
            if (finished.compareAndSet(false, true)) {
                tooLarge(response);
                UnreadBodyValve.closeAfterAnswer(async.getRequest());
                async.complete();
            }
        }

        @Override
        public void onAllDataRead() {
            if (finished.compareAndSet(false, true)) {
                async.getRequest().setAttribute(BODY, size == body.length ? body : Arrays.copyOf(body, size));
                async.dispatch();
            }
        }

        @Override
        public void onError(Throwable failure) {
            if (finished.compareAndSet(false, true)) {
                log.info("request body could not be read: {}", failure.getClass().getSimpleName());
                try {
                    if (!response.isCommitted()) {
                        boolean stalled = failure instanceof java.net.SocketTimeoutException;
                        ErrorBody.of(stalled ? "timeout" : "invalid", stalled ? "the request body stopped arriving"
                                : "the request body could not be read (malformed chunked encoding?)").write(response, stalled ? 408 : 400);
                    }
                } catch (IOException | RuntimeException e) {
                    // the connection is gone: nothing more can be said to this client
                }
                UnreadBodyValve.closeAfterAnswer(async.getRequest());
                async.complete();
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            if (finished.compareAndSet(false, true)) {
                log.info("request body not received within {} ms; refused", deadlineMillis);
                ErrorBody.of("timeout", "the request body did not arrive within " + deadlineMillis
                        + " ms (pumpcds.http.body-read-deadline)").write(response, 408);
                UnreadBodyValve.closeAfterAnswer(async.getRequest());
                async.complete();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
            onError(event.getThrowable());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }

    /** The request as the rest of the chain sees it: the body comes from memory. */
    private static final class BodyInMemory extends HttpServletRequestWrapper {

        private final byte[] body;

        BodyInMemory(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream bytes = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return bytes.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return bytes.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return bytes.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body was already read");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    encoding == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
