package dev.ssekit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * Headless Chromium driven through a chromedriver this class starts on a loopback port,
 * speaking the W3C WebDriver protocol over plain HTTP (no Selenium). Each instance owns one
 * chromedriver process, one browser session and a fresh profile directory, and removes all
 * three on {@link #close()}. Not thread-safe.
 */
final class HeadlessChromium implements AutoCloseable {

    /** The key under which WebDriver returns an element reference. */
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process driver;
    private final URI base;
    private final Path profile;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private String session;

    private HeadlessChromium(Process driver, URI base, Path profile) {
        this.driver = driver;
        this.base = base;
        this.profile = profile;
    }

    /** The chromium binary: {@code /usr/bin/chromium} or {@code chromium} on the PATH. */
    static Optional<Path> chromium() {
        return executable("chromium");
    }

    /** The chromedriver binary: {@code /usr/bin/chromedriver} or on the PATH. */
    static Optional<Path> chromedriver() {
        return executable("chromedriver");
    }

    /** Starts chromedriver on a free loopback port and opens a headless browser session. */
    static HeadlessChromium start(Path chromedriver, Path chromium) throws Exception {
        int port = freePort();
        Path profile = Files.createTempDirectory("ssekit-chromium-");
        // Without --allowed-ips chromedriver listens on loopback only, which is what we want.
        Process process = new ProcessBuilder(chromedriver.toString(), "--port=" + port)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        HeadlessChromium browser = new HeadlessChromium(process,
                URI.create("http://127.0.0.1:" + port + "/"), profile);
        try {
            browser.awaitDriverReady();
            browser.openSession(chromium);
        } catch (Exception | AssertionError e) {
            browser.close();
            throw e;
        }
        return browser;
    }

    private void awaitDriverReady() {
        Awaitility.await("chromedriver ready").atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> call("GET", "status", null).at("/value/ready").asBoolean());
    }

    private void openSession(Path chromium) throws IOException, InterruptedException {
        ObjectNode options = JSON.createObjectNode();
        options.put("binary", chromium.toString());
        List<String> args = List.of("--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile);
        args.forEach(options.putArray("args")::add);
        ObjectNode request = JSON.createObjectNode();
        ObjectNode always = request.putObject("capabilities").putObject("alwaysMatch");
        always.put("browserName", "chrome");
        always.set("goog:chromeOptions", options);

        JsonNode reply = call("POST", "session", request);
        session = reply.at("/value/sessionId").asText();
        assertThat(session).as("WebDriver session: %s", reply).isNotEmpty();
    }

    /** Loads a page and waits for it to finish loading. */
    void navigate(URI uri) throws IOException, InterruptedException {
        sessionCall("POST", "url", JSON.createObjectNode().put("url", uri.toString()));
    }

    /** Clicks the element matching a CSS selector, as a user would. */
    void click(String css) throws IOException, InterruptedException {
        ObjectNode find = JSON.createObjectNode().put("using", "css selector").put("value", css);
        String element = sessionCall("POST", "element", find).at("/value/" + ELEMENT).asText();
        assertThat(element).as("element %s", css).isNotEmpty();
        sessionCall("POST", "element/" + element + "/click", JSON.createObjectNode());
    }

    /** Runs a script in the page and returns its JSON result. */
    JsonNode script(String body) throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("script", body);
        request.putArray("args");
        return sessionCall("POST", "execute/sync", request).get("value");
    }

    private JsonNode sessionCall(String method, String path, JsonNode body)
            throws IOException, InterruptedException {
        return call(method, "session/" + session + "/" + path, body);
    }

    private JsonNode call(String method, String path, JsonNode body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(START_TIMEOUT.plus(CALL_TIMEOUT))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("WebDriver %s %s: %s", method, path,
                response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Ends the session, stops chromedriver (and with it the browser), deletes the profile. */
    @Override
    public void close() throws IOException {
        try {
            if (session != null) {
                call("DELETE", "session/" + session, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopDriver();
            deleteTree(profile);
        }
    }

    private void stopDriver() {
        // The browser runs as chromedriver's child; stop it too in case the session is stuck.
        driver.descendants().forEach(ProcessHandle::destroy);
        driver.destroy();
        try {
            if (!driver.waitFor(5, TimeUnit.SECONDS)) {
                driver.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            driver.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) {
        try {
            deleteFiles(root);
        } catch (IOException | UncheckedIOException e) {
            // A browser file vanishing mid-walk is harmless; the directory is a temp one.
            System.err.println("could not fully delete " + root + ": " + e);
        }
    }

    private static Optional<Path> executable(String name) {
        Path standard = Path.of("/usr/bin", name);
        if (Files.isExecutable(standard)) {
            return Optional.of(standard);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteFiles(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
