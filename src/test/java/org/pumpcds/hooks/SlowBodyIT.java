package org.pumpcds.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pumpcds.support.ApiTest;
import org.pumpcds.support.RawHttp;
import org.springframework.test.context.TestPropertySource;

/**
 * Request bodies as an attacker sends them: too large, or one byte at a time from more connections than Tomcat has
 * worker threads (200). Health and discovery must keep answering within a second throughout.
 */
@TestPropertySource(properties = {"pumpcds.http.body-read-deadline=3s", "pumpcds.http.max-body-size=256KB",
        "server.tomcat.connection-timeout=3s"})
class SlowBodyIT extends ApiTest {

    private static final int SLOW_CLIENTS = 230;

    private Socket slowClient() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.getOutputStream().write(("POST /cds-services/pump-order-sign HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    private void assertAnswersWithinASecond() {
        assertThat(RawHttp.send(port, "GET", "/actuator/health", "", null, 1000).status()).isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/cds-services", "", null, 1000).status()).isEqualTo(200);
    }

    @Test
    void slowBodiesHoldNoWorkerThreadAndGet408AtTheDeadline() throws Exception {
        List<Socket> slow = new ArrayList<>();
        ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                slow.add(slowClient());
            }
            drip.scheduleAtFixedRate(() -> slow.forEach(socket -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(' ');
                    out.flush();
                } catch (IOException e) {
                    // refused and closed by the service: expected after the deadline
                }
            }), 0, 500, TimeUnit.MILLISECONDS);
            Thread.sleep(300);
            for (int round = 0; round < 4; round++) {
                assertAnswersWithinASecond();
                Thread.sleep(400);
            }
            RawHttp.Answer refused = RawHttp.read(slow.get(0), 5000);
            assertThat(refused.status()).isEqualTo(408);
            assertThat(refused.body()).contains("\"OperationOutcome\"", "pumpcds.http.body-read-deadline");
            assertAnswersWithinASecond();
        } finally {
            drip.shutdownNow();
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void aDeclaredOversizedBodyIs413BeforeItIsSent() {
        RawHttp.Answer answer = RawHttp.send(port, "POST", "/cds-services/pump-order-sign",
                "Content-Type: application/json\r\nContent-Length: 300000\r\n", null, 5000);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body()).contains("\"OperationOutcome\"", "too-costly", "pumpcds.http.max-body-size");
    }

    /**
     * Tomcat reads a Transfer-Encoding header as a list of codings, so "chunked," and ", chunked" frame a chunked body
     * as "chunked" does: every spelling must meet the size limit, on the call and on feedback alike.
     */
    @ParameterizedTest
    @CsvSource({"/cds-services/pump-order-sign/feedback, chunked", "/cds-services/pump-order-sign/feedback, 'chunked,'",
            "/cds-services/pump-order-sign, ', chunked'", "/cds-services/pump-order-sign, CHUNKED"})
    void aChunkedOversizedBodyIs413WhileItArrives(String path, String transferEncoding) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: " + transferEncoding + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[16 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            try {
                for (int i = 0; i < 20; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException e) {
                // the service may close the connection once it has answered
            }
            RawHttp.Answer answer = RawHttp.read(socket, 5000);
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.body()).contains("\"OperationOutcome\"", "too-costly");
        }
    }

    @Test
    void aBodyThatStopsArrivingIs408NeverA500() throws IOException {
        try (Socket socket = slowClient()) { // declares 100000 bytes, sends one, then nothing
            RawHttp.Answer answer = RawHttp.read(socket, 6000);
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.body()).contains("\"OperationOutcome\"");
        }
    }

    @Test
    void aMalformedChunkedBodyIs400NeverA500() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("POST /cds-services/pump-order-sign HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000002\r\n{}\r\n0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            RawHttp.Answer answer = RawHttp.read(socket, 6000);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body()).contains("\"OperationOutcome\"");
        }
    }

    @Test
    void aPreflightWithABodyIsStillAnswered() {
        RawHttp.Answer answer = RawHttp.send(port, "OPTIONS", "/cds-services/pump-order-sign",
                "Origin: http://ehr.example\r\nAccess-Control-Request-Method: POST\r\nContent-Type: application/json\r\n", "{}", 5000);
        assertThat(answer.status()).isEqualTo(200);
    }
}
