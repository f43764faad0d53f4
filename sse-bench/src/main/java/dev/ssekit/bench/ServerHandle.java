package dev.ssekit.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running {@link BenchServer}, in a child JVM (the benchmark) or in this one (the smoke
 * test), and the client of its control port.
 */
final class ServerHandle implements AutoCloseable {

    private final Process process;
    private final BenchServer inProcess;
    private final int httpPort;
    private final Socket control;
    private final BufferedReader in;
    private final PrintWriter out;

    private ServerHandle(Process process, BenchServer inProcess, int httpPort, int controlPort)
            throws IOException {
        this.process = process;
        this.inProcess = inProcess;
        this.httpPort = httpPort;
        this.control = new Socket(InetAddress.getLoopbackAddress(), controlPort);
        this.in = new BufferedReader(new InputStreamReader(control.getInputStream(),
                StandardCharsets.US_ASCII));
        this.out = new PrintWriter(control.getOutputStream(), true);
    }

    /** Starts the subject in a new JVM with the given flags; its log goes to {@code log}. */
    static ServerHandle launch(String subject, SubjectConfig config, List<String> jvmFlags,
            File log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + "/bin/java");
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BenchServer.class.getName());
        command.add(subject);
        command.add(Long.toString(config.heartbeat().toMillis()));
        command.add(Long.toString(config.writeTimeout().toMillis()));
        command.add(Integer.toString(config.maxQueuedEvents()));
        command.add(Integer.toString(config.sendBuffer()));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log))
                .start();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(
                process.getInputStream(), StandardCharsets.US_ASCII));
        String ready = stdout.readLine();
        while (ready != null && !ready.startsWith("READY ")) {
            // JVM options such as a flight recording may print a line first.
            ready = stdout.readLine();
        }
        if (ready == null || !ready.startsWith("READY ")) {
            process.destroyForcibly();
            throw new IOException("bench server did not start (see " + log + "): " + ready);
        }
        String[] ports = ready.split(" ");
        return new ServerHandle(process, null, Integer.parseInt(ports[1]),
                Integer.parseInt(ports[2]));
    }

    /** Starts the subject in this JVM. */
    static ServerHandle inProcess(String subject, SubjectConfig config) throws Exception {
        BenchServer server = BenchServer.start(subject, config);
        return new ServerHandle(null, server, server.httpPort(), server.controlPort());
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", httpPort);
    }

    /** Sends one control command and returns the answer line. */
    synchronized String call(String command) {
        out.println(command);
        try {
            String answer = in.readLine();
            if (answer == null) {
                throw new IllegalStateException("bench server closed the control connection");
            }
            return answer;
        } catch (IOException e) {
            throw new IllegalStateException("control call " + command + " failed", e);
        }
    }

    /** A second control connection, for polling while a broadcast call is under way. */
    ServerHandle probe() throws IOException {
        return new ServerHandle(null, null, httpPort, control.getPort());
    }

    /** Closes only this control connection (for a probe). */
    void disconnect() throws IOException {
        control.close();
    }

    int openStreams() {
        return Integer.parseInt(call("COUNT"));
    }

    @Override
    public void close() throws Exception {
        call("QUIT");
        control.close();
        if (process != null && !process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        if (inProcess != null) {
            inProcess.close();
        }
    }
}
