package dev.ssekit.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * The server process of the benchmark: runs one {@link Subject} and answers a line protocol on
 * a loopback control port. Prints {@code READY <http port> <control port>} once listening.
 *
 * <p>Commands: {@code COUNT} (open streams), {@code MEMORY} (full GC, then heap used, RSS,
 * live threads, open streams), {@code BROADCAST <rate> <count> <bytes>} (emits on the
 * broadcaster thread at a fixed rate; returns when all are emitted, with the largest emitter
 * lag), {@code DROPPED} (streams dropped as slow), {@code CPU} (CPU time this process used so
 * far, in nanoseconds), {@code QUIT}.
 */
public final class BenchServer implements AutoCloseable {

    private final Subject subject;
    private final ServerSocket control;
    private final int httpPort;
    private final Thread controlThread;
    private volatile boolean running = true;

    private BenchServer(Subject subject, SubjectConfig config) throws Exception {
        this.subject = subject;
        this.httpPort = subject.start(config);
        this.control = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        this.controlThread = new Thread(this::serveControl, "bench-control");
        controlThread.start();
    }

    /**
     * Runs a subject until {@code QUIT}. Arguments: {@code <subject> <heartbeat ms>
     * <write timeout ms> <max queued events> <socket send buffer bytes, 0 for the default>}.
     *
     * @param args the subject and its settings
     * @throws Exception if the subject cannot start
     */
    public static void main(String[] args) throws Exception {
        SubjectConfig config = SubjectConfig.of(Long.parseLong(args[1]), Long.parseLong(args[2]),
                Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        BenchServer server = start(args[0], config);
        System.out.println("READY " + server.httpPort + " " + server.controlPort());
        System.out.flush();
        server.controlThread.join();
        server.close();
        System.exit(0);
    }

    /** Starts a subject by name in this process (the smoke test does this). */
    static BenchServer start(String subjectName, SubjectConfig config) throws Exception {
        return new BenchServer(subjectFor(subjectName), config);
    }

    static Subject subjectFor(String name) {
        return switch (name) {
            case "ssekit" -> new SsekitSubject(false);
            case "ssekit-adapter" -> new SsekitSubject(true);
            case "jetty" -> new JettySubject();
            case "nio" -> new NioSubject();
            case "bare" -> new BareSubject();
            default -> throw new IllegalArgumentException("unknown subject " + name
                    + "; expected ssekit, ssekit-adapter, jetty, nio or bare");
        };
    }

    int httpPort() {
        return httpPort;
    }

    int controlPort() {
        return control.getLocalPort();
    }

    String streamPath() {
        return subject.streamPath();
    }

    private void serveControl() {
        while (running) {
            try {
                Socket socket = control.accept();
                Thread session = new Thread(() -> converse(socket), "bench-control-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                if (running) {
                    System.err.println("control port failed: " + e);
                }
            }
        }
    }

    /** One control connection; the benchmark may hold a second one to poll during a run. */
    private void converse(Socket connection) {
        try (Socket socket = connection;
                BufferedReader in = new BufferedReader(new InputStreamReader(
                        socket.getInputStream(), StandardCharsets.US_ASCII));
                PrintWriter out = new PrintWriter(socket.getOutputStream(), true)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.println(answer(line.trim().split(" ")));
                if (!running) {
                    break;
                }
            }
        } catch (IOException e) {
            if (running) {
                System.err.println("control connection failed: " + e);
            }
        }
    }

    private String answer(String[] command) {
        return switch (command[0]) {
            case "COUNT" -> Integer.toString(subject.openStreams());
            case "DROPPED" -> Long.toString(subject.droppedSlow());
            case "PATH" -> subject.streamPath();
            case "MEMORY" -> memory();
            case "CPU" -> Long.toString(processCpuNanos());
            case "BROADCAST" -> broadcast(Double.parseDouble(command[1]),
                    Integer.parseInt(command[2]), Integer.parseInt(command[3]));
            case "QUIT" -> {
                running = false;
                closeQuietly();
                yield "BYE";
            }
            default -> "ERROR unknown command " + command[0];
        };
    }

    private String memory() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        long direct = 0;
        for (BufferPoolMXBean pool
                : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            direct += pool.getName().equals("direct") ? pool.getMemoryUsed() : 0;
        }
        return "heap=" + heap.getUsed() + " committed=" + heap.getCommitted() + " direct="
                + direct + " rss=" + rss() + " threads=" + threads
                + " streams=" + subject.openStreams();
    }

    /** CPU time used by this process so far, all threads, user and system. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Emits {@code count} events at {@code rate} per second on this thread. Event k is due at
     * start + k / rate whatever happened before it; that due time travels in the payload.
     */
    private String broadcast(double rate, int count, int frameBytes) {
        long period = (long) (1e9 / rate);
        long start = System.nanoTime() + 20_000_000L;
        long maxLag = 0;
        for (int k = 0; k < count; k++) {
            long due = start + k * period;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            maxLag = Math.max(maxLag, System.nanoTime() - due);
            subject.broadcast(due, k, frameBytes);
        }
        return "DONE " + count + " maxLagMicros=" + maxLag / 1000;
    }

    private void closeQuietly() {
        try {
            control.close();
        } catch (IOException e) {
            System.err.println("control port did not close: " + e);
        }
    }

    /** Stops the control port and the subject. */
    @Override
    public void close() throws Exception {
        running = false;
        control.close();
        subject.close();
    }
}
