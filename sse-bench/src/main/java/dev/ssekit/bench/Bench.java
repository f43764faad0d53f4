package dev.ssekit.bench;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The benchmark driver: starts each subject in its own server JVM, drives it from the load
 * generator in this JVM, and prints one table per scenario.
 *
 * <pre>
 * Bench --scenario idle|broadcast|saturation|slow|dead [--subjects ssekit,jetty,nio,bare]
 *       [--streams 1000] [--counts 1000,5000,10000] [--rate 10] [--seconds 30]
 *       [--rates 5,10,20,40,80,160,320] [--stall-seconds 60] [--slow-percent 1] [--kill 1000]
 *       [--heartbeat-ms 5000] [--write-timeout-ms 5000] [--max-queued 512] [--bytes 100]
 *       [--hold-seconds 0] [--sndbuf 0] [--generator-threads 2]
 *       [--server-jvm "-Xms64m -Xmx1g -XX:+UseG1GC"]
 * </pre>
 */
public final class Bench {

    private static final Duration OPEN_TIMEOUT = Duration.ofMinutes(3);

    /** Every option the driver reads; see the class comment. */
    static final List<String> OPTIONS = List.of("scenario", "subjects", "streams", "counts",
            "rate", "seconds", "rates", "stall-seconds", "slow-percent", "kill", "heartbeat-ms",
            "write-timeout-ms", "max-queued", "bytes", "hold-seconds", "sndbuf",
            "generator-threads", "server-jvm");

    private final Map<String, String> options;
    private final SubjectConfig config;
    private final int frameBytes;

    private Bench(Map<String, String> options) {
        this.options = options;
        this.config = SubjectConfig.of(longOption("heartbeat-ms", 5000),
                longOption("write-timeout-ms", 5000), (int) longOption("max-queued", 512),
                (int) longOption("sndbuf", 0));
        this.frameBytes = (int) longOption("bytes", 100);
    }

    /**
     * Runs one scenario over the chosen subjects and prints its table to standard output.
     *
     * @param args {@code --name value} pairs, see the class comment
     * @throws Exception if a server cannot start or a scenario fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        new Bench(options).run(options.getOrDefault("scenario", "broadcast"));
        System.exit(0);
    }

    /**
     * The options as {@code --name value} pairs. A misspelt name or a name without a value is
     * an error, not a silent default: a typo in {@code --counts} would otherwise open 10,000
     * streams.
     */
    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].replaceFirst("^--", "");
            if (!args[i].startsWith("--") || !OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown option " + args[i]
                        + "; known: --" + String.join(", --", OPTIONS));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            options.put(name, args[i + 1]);
        }
        return options;
    }

    private void run(String scenario) throws Exception {
        List<String> subjects = Arrays.asList(option("subjects", defaultSubjects(scenario))
                .split(","));
        Table table = switch (scenario) {
            case "idle" -> new Table("subject", "streams", "heap MB", "committed MB",
                    "direct MB", "RSS MB", "threads");
            case "broadcast", "slow" -> new Table("subject", "streams", "events", "p50 ms",
                    "p99 ms", "p99.9 ms", "max ms", "fan-out p99 ms", "lost", "dropped",
                    "server CPU us/delivery", "generator CPU us/delivery");
            case "saturation" -> new Table("subject", "streams", "events/s", "deliveries/s",
                    "p99 ms", "fan-out p99 ms", "lost", "verdict");
            case "dead" -> new Table("subject", "streams", "killed", "registry clean after ms");
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        };
        System.out.printf("scenario %s, %s, frame ~%d bytes, server JVM %s%n", scenario, config,
                frameBytes, serverJvm());
        for (String subject : subjects) {
            try (ServerHandle server = ServerHandle.launch(subject, config, serverJvm(),
                    new File("target/bench-server-" + subject + ".log"))) {
                runOn(scenario, subject, server, table);
            }
        }
        table.print(System.out);
    }

    private void runOn(String scenario, String subject, ServerHandle server, Table table) {
        int threads = (int) longOption("generator-threads", 2);
        try (LoadGenerator generator = new LoadGenerator(server.address(), server.call("PATH"),
                threads, 4)) {
            Scenarios scenarios = new Scenarios(server, generator, config, frameBytes, table);
            switch (scenario) {
                case "idle" -> scenarios.idle(subject, counts(), longOption("hold-seconds", 0));
                case "broadcast" -> scenarios.broadcast(subject, streams(),
                        longOption("rate", 10), (int) longOption("seconds", 30));
                case "saturation" -> scenarios.saturation(subject, streams(), rates(),
                        (int) longOption("seconds", 5));
                case "slow" -> scenarios.slow(subject, streams(), longOption("rate", 10),
                        (int) longOption("seconds", 30), (int) longOption("stall-seconds", 60),
                        (int) longOption("slow-percent", 1));
                default -> scenarios.dead(subject, streams(), (int) longOption("kill", 1000));
            }
        }
    }

    private static String defaultSubjects(String scenario) {
        return scenario.equals("idle") ? "bare,ssekit,jetty,nio" : "ssekit,jetty,nio";
    }

    private List<String> serverJvm() {
        return Arrays.asList(option("server-jvm", "-Xms64m -Xmx1g -XX:+UseG1GC").split(" "));
    }

    private int streams() {
        return (int) longOption("streams", 1000);
    }

    private int[] counts() {
        return Arrays.stream(option("counts", "1000,5000,10000").split(","))
                .mapToInt(Integer::parseInt).toArray();
    }

    private long[] rates() {
        return Arrays.stream(option("rates", "5,10,20,40,80,160,320").split(","))
                .mapToLong(Long::parseLong).toArray();
    }

    private String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    private long longOption(String name, long fallback) {
        return Long.parseLong(option(name, Long.toString(fallback)));
    }

    /** The scenarios, over one server and one generator. */
    static final class Scenarios {

        private final ServerHandle server;
        private final LoadGenerator generator;
        private final SubjectConfig config;
        private final int frameBytes;
        private final Table table;

        Scenarios(ServerHandle server, LoadGenerator generator, SubjectConfig config,
                int frameBytes, Table table) {
            this.server = server;
            this.generator = generator;
            this.config = config;
            this.frameBytes = frameBytes;
            this.table = table;
        }

        /** Opens streams up to each count and measures the server's memory there. */
        void idle(String subject, int[] counts, long holdSeconds) {
            double[] heap = new double[counts.length];
            double[] rss = new double[counts.length];
            for (int i = 0; i < counts.length; i++) {
                openTo(counts[i]);
                Map<String, Long> memory = memory();
                heap[i] = memory.get("heap");
                rss[i] = memory.get("rss");
                table.row(subject, counts[i], mb(memory.get("heap")),
                        mb(memory.get("committed")), mb(memory.get("direct")),
                        mb(memory.get("rss")), memory.get("threads"));
            }
            if (counts.length > 1) {
                table.row(subject + " slope KB/stream", "-", kb(slope(counts, heap)), "-", "-",
                        kb(slope(counts, rss)), "-");
            }
            // Leaves time to take a heap histogram of the server (jmap -histo:live).
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(holdSeconds));
        }

        /** Broadcasts at a fixed rate and reports per-delivery and fan-out latency. */
        LoadGenerator.RunResult broadcast(String subject, int streams, long rate, int seconds) {
            openTo(streams);
            warmUp();
            LoadGenerator.RunResult result = run(rate, (int) (rate * seconds));
            broadcastRow(subject, streams, result);
            return result;
        }

        /** Steps the rate up until a step loses events or stops keeping up. */
        void saturation(String subject, int streams, long[] rates, int seconds) {
            openTo(streams);
            warmUp();
            for (long rate : rates) {
                LoadGenerator.RunResult result = run(rate, (int) (rate * seconds));
                boolean keptUp = result.missing() == 0 && result.incomplete() == 0
                        && percentile(result.completion(), 99) < 1_000_000
                        && generator.established() == streams;
                table.row(subject, streams, rate, rate * streams,
                        ms(percentile(result.latency(), 99)),
                        ms(percentile(result.completion(), 99)),
                        result.missing(), keptUp ? "sustained" : verdict(result, streams));
                if (!keptUp) {
                    return;
                }
            }
        }

        private String verdict(LoadGenerator.RunResult result, int streams) {
            return "falls behind (" + result.incomplete() + " events incomplete, "
                    + generator.established() + "/" + streams + " streams)";
        }

        /** Broadcast with all streams reading, then with some that stop reading. */
        void slow(String subject, int streams, long rate, int seconds, int stallSeconds,
                int percent) {
            int slow = streams * percent / 100;
            openTo(0);
            generator.open(slow, true, OPEN_TIMEOUT);
            generator.open(streams - slow, false, OPEN_TIMEOUT);
            awaitServerCount(streams);
            warmUp();
            broadcastRow(subject + " all reading", streams, run(rate, (int) (rate * seconds)));

            long before = memory().get("heap");
            generator.stopReadingSlow();
            long start = System.nanoTime();
            DropWatch watch = new DropWatch(server, start);
            watch.start();
            LoadGenerator.RunResult result = run(rate, (int) (rate * stallSeconds));
            watch.stopAndJoin();
            broadcastRow(subject + " " + percent + "% stalled", streams, result);
            long after = memory().get("heap");
            System.out.printf("%s: %d slow streams; server holds %d streams %d s after they "
                    + "stalled; dropped as slow: %s; heap after GC %s MB -> %s MB%n",
                    subject, slow, server.openStreams(),
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
                    server.call("DROPPED"), mb(before), mb(after));
            System.out.printf("%s: first slow drop %s s, last %s s after the stall%n", subject,
                    watch.firstSeconds(), watch.lastSeconds());
        }

        /** Resets {@code kill} clients at once and times until the server forgot them. */
        void dead(String subject, int streams, int kill) {
            openTo(streams);
            long start = System.nanoTime();
            generator.kill(kill);
            long limit = start + 3 * config.heartbeat().toNanos() + TimeUnit.SECONDS.toNanos(5);
            int open = server.openStreams();
            while (open > streams - kill && System.nanoTime() < limit) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                open = server.openStreams();
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            table.row(subject, streams, kill, open <= streams - kill ? millis
                    : "still " + (open - streams + kill) + " after " + millis);
        }

        /** Two seconds at 10 events/s, not recorded, so the JIT has compiled the hot paths. */
        private void warmUp() {
            run(10, 20);
        }

        private LoadGenerator.RunResult run(long rate, int events) {
            generator.startRun(events);
            long serverCpu = Long.parseLong(server.call("CPU"));
            long generatorCpu = BenchServer.processCpuNanos();
            server.call("BROADCAST " + rate + " " + events + " " + frameBytes);
            awaitDrained(events);
            serverCpu = Long.parseLong(server.call("CPU")) - serverCpu;
            generatorCpu = BenchServer.processCpuNanos() - generatorCpu;
            return generator.result(events).withCpu(serverCpu, generatorCpu);
        }

        /** Waits until every healthy stream has everything, or nothing arrived for 3 s. */
        private void awaitDrained(int events) {
            long expected = (long) events * generator.healthy();
            long seen = generator.delivered();
            long quietSince = System.nanoTime();
            while (seen < expected
                    && System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(3)) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                long now = generator.delivered();
                if (now != seen) {
                    seen = now;
                    quietSince = System.nanoTime();
                }
            }
        }

        private void broadcastRow(String subject, int streams, LoadGenerator.RunResult r) {
            table.row(subject, streams, r.events(), ms(percentile(r.latency(), 50)),
                    ms(percentile(r.latency(), 99)), ms(percentile(r.latency(), 99.9)),
                    ms(r.latency().getMaxValue()), ms(percentile(r.completion(), 99)),
                    r.missing(), server.call("DROPPED"), perDelivery(r.serverCpuNanos(), r),
                    perDelivery(r.generatorCpuNanos(), r));
        }

        /**
         * CPU time per delivery in microseconds. Covers the whole run, including the wait for
         * stragglers, heartbeats and garbage collection: a comparison between subjects, not a
         * cost of one write.
         */
        private static String perDelivery(long cpuNanos, LoadGenerator.RunResult r) {
            return r.delivered() == 0 ? "-"
                    : String.format("%.2f", cpuNanos / 1000.0 / r.delivered());
        }

        private void openTo(int count) {
            int more = count - generator.established();
            if (more > 0) {
                generator.open(more, false, OPEN_TIMEOUT);
            }
            awaitServerCount(count);
        }

        private void awaitServerCount(int count) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.openStreams() < count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("server holds " + server.openStreams()
                            + " streams, expected " + count);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }

        private Map<String, Long> memory() {
            Map<String, Long> values = new HashMap<>();
            for (String pair : server.call("MEMORY").split(" ")) {
                String[] kv = pair.split("=");
                values.put(kv[0], Long.parseLong(kv[1]));
            }
            return values;
        }
    }

    /** Polls the dropped-as-slow count on a second control connection during a run. */
    static final class DropWatch extends Thread {

        private final ServerHandle server;
        private final long start;
        private volatile boolean watching = true;
        private volatile String first = "-";
        private volatile String last = "-";

        DropWatch(ServerHandle server, long start) {
            super("drop-watch");
            setDaemon(true);
            this.server = server;
            this.start = start;
        }

        @Override
        public void run() {
            try {
                ServerHandle probe = server.probe();
                long seen = Math.max(0, Long.parseLong(probe.call("DROPPED")));
                while (watching) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                    long now = Long.parseLong(probe.call("DROPPED"));
                    if (now > seen) {
                        String at = String.format("%.1f", (System.nanoTime() - start) / 1e9);
                        first = first.equals("-") ? at : first;
                        last = at;
                        seen = now;
                    }
                }
                probe.disconnect();
            } catch (java.io.IOException e) {
                first = "probe failed: " + e;
            }
        }

        void stopAndJoin() {
            watching = false;
            try {
                join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String firstSeconds() {
            return first;
        }

        String lastSeconds() {
            return last;
        }
    }

    static long percentile(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? -1 : histogram.getValueAtPercentile(percentile);
    }

    private static String ms(long micros) {
        return micros < 0 ? "-" : String.format("%.2f", micros / 1000.0);
    }

    /** Least-squares slope of {@code y} over {@code x}. */
    static double slope(int[] x, double[] y) {
        double meanX = Arrays.stream(x).average().orElse(0);
        double meanY = Arrays.stream(y).average().orElse(0);
        double num = 0;
        double den = 0;
        for (int i = 0; i < x.length; i++) {
            num += (x[i] - meanX) * (y[i] - meanY);
            den += (x[i] - meanX) * (x[i] - meanX);
        }
        return den == 0 ? 0 : num / den;
    }

    private static String kb(double bytes) {
        return String.format("%.2f", bytes / 1024.0);
    }

    private static String mb(long bytes) {
        return String.format("%.1f", bytes / (1024.0 * 1024.0));
    }

    /** A plain-text table printed once a scenario ends. */
    static final class Table {

        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        void row(Object... cells) {
            String[] row = new String[cells.length];
            for (int i = 0; i < cells.length; i++) {
                row[i] = String.valueOf(cells[i]);
            }
            rows.add(row);
            System.out.println("  " + String.join(" | ", row));
        }

        void print(java.io.PrintStream out) {
            int[] widths = new int[rows.get(0).length];
            for (String[] row : rows) {
                for (int i = 0; i < row.length && i < widths.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            for (int r = 0; r < rows.size(); r++) {
                StringBuilder line = new StringBuilder("|");
                for (int i = 0; i < widths.length; i++) {
                    String cell = i < rows.get(r).length ? rows.get(r)[i] : "";
                    line.append(' ').append(String.format("%-" + widths[i] + "s", cell))
                            .append(" |");
                }
                out.println(line);
                if (r == 0) {
                    out.println(line.toString().replaceAll("[^|]", "-"));
                }
            }
        }
    }
}
