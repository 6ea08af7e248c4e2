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
 * concurrency 1, 4 and 50. Prints requests per second, p50 and p99, each server's CPU time per request, the ratios
 * to the baseline, and each process's peak RSS. Not part of the test suite: it asserts nothing.
 *
 * <p>Run (prints a table; about 10 minutes on 2 cores, most of it warming the JIT):
 * {@code ./mvnw -q test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test -Dexec.args="-cp %classpath org.pumpcds.bench.LoadBenchmark"}.
 * System properties, given before {@code -cp}: {@code "-Dbench.heap=-Xmx256m -XX:+UseParallelGC"} (the JVM memory
 * options both servers get; the default is what the Docker image gives in a 512 MB container; {@code
 * -Dbench.heap=-XX:+UseParallelGC} runs both on the JVM's default heap, a quarter of the machine's memory), {@code -Dbench.seconds=8} (per measurement),
 * {@code -Dbench.warmup=240} (the most seconds a server is warmed per case; warming stops once its JIT has settled), {@code -Dbench.cases=pump,non-pump,no-prefetch} (which
 * request files to run), {@code -Dbench.jfr=true} (records the service with Java Flight
 * Recorder into target/bench-service.jfr, for {@code jfr print --stack-depth 200 --events jdk.ExecutionSample}).
 */
public final class LoadBenchmark {

    private static final int[] CONCURRENCY = {1, 4, 50};
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(64)).build();

    private LoadBenchmark() {
    }

    /**
     * One measurement: requests per second, latency percentiles, how many answers were not 200, and the server
     * process's CPU time per request (all its threads, GC and JIT included). The CPU figure is the steadier one on a
     * shared machine: throughput also moves with whatever else runs, the load driver included.
     */
    record Result(double perSecond, double p50Ms, double p99Ms, int errors, double cpuMsPerCall) {
    }

    /** A server process and its base URL. */
    record Server(String name, Process process, String base) {
        /** CPU time the process has used, in milliseconds (utime + stime from /proc, in clock ticks of 10 ms). */
        double cpuMs() {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0;
            } catch (IOException e) {
                return Double.NaN;
            }
        }

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
        String heap = System.getProperty("bench.heap", "-Xmx256m -XX:+UseParallelGC");
        int seconds = Integer.getInteger("bench.seconds", 8);
        int warmup = Integer.getInteger("bench.warmup", 240);
        List<String> cases = List.of(System.getProperty("bench.cases", "pump,non-pump,no-prefetch").split(","));
        String jvm = Boolean.getBoolean("bench.jfr") ? heap + " -XX:FlightRecorderOptions=stackdepth=256 -XX:StartFlightRecording=filename=target/bench-service.jfr,settings=profile"
                : heap;
        // the service logs as deployed (one line per call, to its standard output, target/bench-service.log)
        // on the default database, an H2 file: the card audit it writes must not live in the heap being measured
        Path database = Path.of("target", "bench-db");
        deleteRecursively(database);
        Server service = start("service", jvm, "org.pumpcds.PumpCdsApplication",
                "--spring.datasource.url=jdbc:h2:file:./" + database.resolve("pump-cds") + ";WRITE_DELAY=0;TRACE_LEVEL_FILE=0");
        // the floor shares the service's application.yaml but has no database to include in readiness
        Server baseline = start("baseline", heap, BaselineApplication.class.getName(), "--logging.level.root=WARN",
                "--management.endpoint.health.group.readiness.include=readinessState");
        try {
            String pump = Files.readString(Path.of("src/test/resources/bench/pump-order-sign-full-prefetch.json"));
            String nonPump = Files.readString(Path.of("src/test/resources/bench/non-pump-order-sign.json"));
            String noPrefetch = Files.readString(Path.of("src/test/resources/readme/order-sign-no-prefetch.json"))
                    .replace("http://localhost:8080/fhir", service.base() + "/fhir");
            System.out.printf(Locale.ROOT, "LoadBenchmark: %d cores, heap option %s, %d s per measurement after warming until the JIT settles (at most %d s)%n",
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
        System.out.printf(Locale.ROOT, "%n%s%n%-6s %-9s %10s %9s %9s %7s %9s %9s %11s %7s%n", name, "conc.", "server", "req/s", "p50 ms",
                "p99 ms", "errors", "req/s x", "p99 x", "CPU ms/req", "CPU x");
        warm(service, body, warmup);
        warm(baseline, body, warmup);
        for (int concurrency : CONCURRENCY) {
            Result[] s = new Result[2];
            Result[] b = new Result[2];
            for (int round = 0; round < 2; round++) { // A B A B: drift in the machine hits both alike
                s[round] = run(service, body, concurrency, seconds);
                b[round] = run(baseline, body, concurrency, seconds);
            }
            Result sm = mean(s);
            Result bm = mean(b);
            print(concurrency, "service", sm, sm.perSecond() / bm.perSecond(), sm.p99Ms() / bm.p99Ms(),
                    sm.cpuMsPerCall() / bm.cpuMsPerCall());
            print(concurrency, "baseline", bm, 1, 1, 1);
        }
    }

    private static void alone(String name, String body, Server service, int seconds, int warmup) throws Exception {
        System.out.printf(Locale.ROOT, "%n%s%n", name);
        warm(service, body, warmup);
        for (int concurrency : CONCURRENCY) {
            print(concurrency, "service", run(service, body, concurrency, seconds), Double.NaN, Double.NaN, Double.NaN);
        }
    }

    /**
     * Drives a server at concurrency 50 in 5-second slices until its JIT has settled (less than 1% of a slice spent
     * compiling, read with jstat) or {@code maxSeconds} have passed. The service has far more code to compile than the
     * floor: on 2 cores its compiler was still busy minutes into a run, and a fixed short warm-up measured that.
     */
    private static void warm(Server server, String body, int maxSeconds) throws Exception {
        long start = System.nanoTime();
        double compiled = compileSeconds(server);
        while (System.nanoTime() - start < Duration.ofSeconds(maxSeconds).toNanos()) {
            run(server, body, 50, 5);
            double now = compileSeconds(server);
            if (now - compiled < 0.05) {
                break;
            }
            compiled = now;
        }
        System.out.printf(Locale.ROOT, "  (%s warmed %d s, %.1f s compiling so far)%n", server.name(),
                Duration.ofNanos(System.nanoTime() - start).toSeconds(), compileSeconds(server));
    }

    /** Seconds the server's JIT has spent compiling, from {@code jstat -compiler}; NaN when jstat cannot tell. */
    private static double compileSeconds(Server server) {
        try {
            Process jstat = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstat").toString(), "-compiler",
                    String.valueOf(server.process().pid())).redirectErrorStream(true).start();
            List<String> lines = new String(jstat.getInputStream().readAllBytes()).lines().toList();
            jstat.waitFor();
            return Double.parseDouble(lines.get(1).trim().split("\\s+")[3]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    private static void print(int concurrency, String server, Result r, double throughputRatio, double p99Ratio, double cpuRatio) {
        System.out.printf(Locale.ROOT, "%-6d %-9s %10.0f %9.2f %9.2f %7d %9s %9s %11.3f %7s%n", concurrency, server, r.perSecond(),
                r.p50Ms(), r.p99Ms(), r.errors(), ratio(throughputRatio), ratio(p99Ratio), r.cpuMsPerCall(), ratio(cpuRatio));
    }

    private static String ratio(double value) {
        return Double.isNaN(value) ? "" : "%.2f".formatted(value);
    }

    private static Result mean(Result[] results) {
        return new Result(Arrays.stream(results).mapToDouble(Result::perSecond).average().orElseThrow(),
                Arrays.stream(results).mapToDouble(Result::p50Ms).average().orElseThrow(),
                Arrays.stream(results).mapToDouble(Result::p99Ms).average().orElseThrow(),
                Arrays.stream(results).mapToInt(Result::errors).sum(),
                Arrays.stream(results).mapToDouble(Result::cpuMsPerCall).average().orElseThrow());
    }

    /** Drives one server with {@code concurrency} clients sending the body back to back for the given time. */
    private static Result run(Server server, String body, int concurrency, int seconds) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.base() + "/cds-services/pump-order-sign"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        double cpuBefore = server.cpuMs();
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
        double cpuPerCall = (server.cpuMs() - cpuBefore) / Math.max(1, all.size());
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(sorted.length / (double) seconds, sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6, errors.get(), cpuPerCall);
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (var files = Files.walk(folder)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
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
