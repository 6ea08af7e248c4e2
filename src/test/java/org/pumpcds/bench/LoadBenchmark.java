package org.pumpcds.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import benchfloor.BaselineApplication;

/**
 * Throughput and latency under concurrency, against a floor measured in the same run: the service and a baseline
 * endpoint of the same stack that only parses the body into a JSON tree ({@link BaselineApplication}) run as two
 * processes with the same heap setting; after a warm-up each is driven in turn (A B A B) with the same request at
 * concurrency 1, 4 and 50. Prints requests per second, p50 and p99, the ratios to the baseline, and each process's
 * peak RSS. Not part of the test suite: it asserts nothing.
 *
 * <p>Run (prints a table; about 6 minutes on 2 cores):
 * {@code ./mvnw -q test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test -Dexec.args="-cp %classpath org.pumpcds.bench.LoadBenchmark"}.
 * System properties, given before {@code -cp}: {@code -Dbench.heap=-Xmx256m} (the JVM memory options both servers
 * get; the default is the heap the Docker image gives in a 512 MB container; {@code -Dbench.heap=} with nothing runs
 * both on the JVM's default heap, a quarter of the machine's memory), {@code -Dbench.seconds=8} (per measurement),
 * {@code -Dbench.warmup=20} (seconds per server and case), {@code -Dbench.cases=pump,non-pump,no-prefetch} (which
 * request files to run), {@code -Dbench.jfr=true} (records the service with Java Flight
 * Recorder into target/bench-service.jfr, for {@code jfr print --stack-depth 200 --events jdk.ExecutionSample}).
 */
public final class LoadBenchmark {

    private static final int[] CONCURRENCY = {1, 4, 50};
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(64)).build();

    private LoadBenchmark() {
    }

    /** One measurement: requests per second and latency percentiles, and how many answers were not 200. */
    record Result(double perSecond, double p50Ms, double p99Ms, int errors) {
    }

    /** A server process and its base URL. */
    record Server(String name, Process process, String base) {
        long peakRssKb() {
            try {
                return Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
                        .filter(l -> l.startsWith("VmHWM:")).map(l -> Long.parseLong(l.replaceAll("\\D+", ""))).findFirst().orElse(-1L);
            } catch (IOException e) {
                return -1;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String heap = System.getProperty("bench.heap", "-Xmx256m");
        int seconds = Integer.getInteger("bench.seconds", 8);
        int warmup = Integer.getInteger("bench.warmup", 20);
        List<String> cases = List.of(System.getProperty("bench.cases", "pump,non-pump,no-prefetch").split(","));
        String jvm = Boolean.getBoolean("bench.jfr") ? heap + " -XX:FlightRecorderOptions=stackdepth=256 -XX:StartFlightRecording=filename=target/bench-service.jfr,settings=profile"
                : heap;
        // the service logs as deployed (one line per call, to its standard output, target/bench-service.log)
        Server service = start("service", jvm, "org.pumpcds.PumpCdsApplication", "--spring.datasource.url=jdbc:h2:mem:bench");
        Server baseline = start("baseline", heap, BaselineApplication.class.getName(), "--logging.level.root=WARN");
        try {
            String pump = Files.readString(Path.of("src/test/resources/bench/pump-order-sign-full-prefetch.json"));
            String nonPump = Files.readString(Path.of("src/test/resources/bench/non-pump-order-sign.json"));
            String noPrefetch = Files.readString(Path.of("src/test/resources/readme/order-sign-no-prefetch.json"))
                    .replace("http://localhost:8080/fhir", service.base() + "/fhir");
            System.out.printf(Locale.ROOT, "LoadBenchmark: %d cores, heap option %s, %d s per measurement after %d s warm-up%n",
                    Runtime.getRuntime().availableProcessors(), heap.isBlank() ? "(JVM default)" : heap, seconds, warmup);
            if (cases.contains("pump")) {
                compare("pump order-sign, full prefetch (%d resources)".formatted(count(pump)), pump, service, baseline, seconds, warmup);
            }
            if (cases.contains("non-pump")) {
                compare("order-sign, no pump order", nonPump, service, baseline, seconds, warmup);
            }
            if (cases.contains("no-prefetch")) {
                alone("pump order-sign, no prefetch (the service's FHIR server)", noPrefetch, service, seconds, warmup);
            }
            System.out.printf(Locale.ROOT, "peak RSS: service %d MB, baseline %d MB%n", service.peakRssKb() / 1024,
                    baseline.peakRssKb() / 1024);
        } finally {
            service.process().destroy();
            baseline.process().destroy();
        }
        System.exit(0);
    }

    private static void compare(String name, String body, Server service, Server baseline, int seconds, int warmup)
            throws Exception {
        System.out.printf(Locale.ROOT, "%n%s%n%-6s %-9s %10s %9s %9s %7s %9s %9s%n", name, "conc.", "server", "req/s", "p50 ms",
                "p99 ms", "errors", "req/s x", "p99 x");
        run(service, body, 50, warmup);
        run(baseline, body, 50, warmup);
        for (int concurrency : CONCURRENCY) {
            Result[] s = new Result[2];
            Result[] b = new Result[2];
            for (int round = 0; round < 2; round++) { // A B A B: drift in the machine hits both alike
                s[round] = run(service, body, concurrency, seconds);
                b[round] = run(baseline, body, concurrency, seconds);
            }
            Result sm = mean(s);
            Result bm = mean(b);
            print(concurrency, "service", sm, sm.perSecond() / bm.perSecond(), sm.p99Ms() / bm.p99Ms());
            print(concurrency, "baseline", bm, 1, 1);
        }
    }

    private static void alone(String name, String body, Server service, int seconds, int warmup) throws Exception {
        System.out.printf(Locale.ROOT, "%n%s%n", name);
        run(service, body, 4, warmup);
        for (int concurrency : CONCURRENCY) {
            print(concurrency, "service", run(service, body, concurrency, seconds), Double.NaN, Double.NaN);
        }
    }

    private static void print(int concurrency, String server, Result r, double throughputRatio, double p99Ratio) {
        System.out.printf(Locale.ROOT, "%-6d %-9s %10.0f %9.2f %9.2f %7d %9s %9s%n", concurrency, server, r.perSecond(), r.p50Ms(),
                r.p99Ms(), r.errors(), Double.isNaN(throughputRatio) ? "" : "%.2f".formatted(throughputRatio),
                Double.isNaN(p99Ratio) ? "" : "%.2f".formatted(p99Ratio));
    }

    private static Result mean(Result[] results) {
        return new Result(Arrays.stream(results).mapToDouble(Result::perSecond).average().orElseThrow(),
                Arrays.stream(results).mapToDouble(Result::p50Ms).average().orElseThrow(),
                Arrays.stream(results).mapToDouble(Result::p99Ms).average().orElseThrow(),
                Arrays.stream(results).mapToInt(Result::errors).sum());
    }

    /** Drives one server with {@code concurrency} clients sending the body back to back for the given time. */
    private static Result run(Server server, String body, int concurrency, int seconds) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.base() + "/cds-services/pump-order-sign"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        List<Future<List<Long>>> running = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            running.add(clients.submit(() -> {
                List<Long> latencies = new ArrayList<>();
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    latencies.add(System.nanoTime() - start);
                    if (response.statusCode() != 200) {
                        errors.incrementAndGet();
                    }
                }
                return latencies;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> client : running) {
            all.addAll(client.get());
        }
        clients.shutdown();
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(sorted.length / (double) seconds, sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6, errors.get());
    }

    private static Server start(String name, String jvmOptions, String mainClass, String... args) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        Arrays.stream(jvmOptions.split(" ")).filter(option -> !option.isBlank()).forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass, "--server.port=" + port));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "bench-" + name + ".log").toFile()).start();
        String base = "http://localhost:" + port;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HTTP.send(HttpRequest.newBuilder(URI.create(base + "/")).GET().build(), HttpResponse.BodyHandlers.discarding());
                return new Server(name, process, base);
            } catch (IOException e) {
                Thread.sleep(250);
            }
        }
        process.destroy();
        throw new IllegalStateException(name + " did not start; see target/bench-" + name + ".log");
    }

    private static int count(String body) {
        return body.split("\"resourceType\"").length - 1;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
