package dev.ssekit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo page in a real headless Chromium: it connects with the browser's own EventSource,
 * shows events caused by its buttons, and after the server ends its stream reconnects by
 * itself and shows every event sent in the meantime, none missing and none twice.
 *
 * <p>Needs the Debian packages {@code chromium} and {@code chromium-driver}. Without them the
 * test is skipped with a message, unless {@code SSEKIT_REQUIRE_BROWSER=true} (set by CI), in
 * which case it fails.
 */
class ClinicBrowserTest {

    private static final String LIST_EVENTS = """
            return Array.from(document.querySelectorAll('#events li')).map(li => ({
              type: li.querySelector('.type').textContent,
              id: li.querySelector('.id').textContent,
              payload: li.querySelector('.payload').textContent
            }));""";

    private ScheduledExecutorService scheduler;
    private ClinicServer server;
    private ClinicHttp http;
    private HeadlessChromium browser;

    /** One event as the page lists it. */
    private record ShownEvent(String type, String id, JsonNode payload) {
    }

    @BeforeEach
    void startClinicAndBrowser() throws Exception {
        Optional<Path> chromium = HeadlessChromium.chromium();
        Optional<Path> chromedriver = HeadlessChromium.chromedriver();
        requireBrowser(chromium.isPresent() && chromedriver.isPresent());

        scheduler = Executors.newSingleThreadScheduledExecutor();
        server = ClinicApp.start(new ClinicSettings(0, TestTokens.SECRET, false),
                Clock.systemUTC(), scheduler);
        http = new ClinicHttp(server.uri());
        browser = HeadlessChromium.start(chromedriver.get(), chromium.get());
    }

    private static void requireBrowser(boolean found) {
        if (found) {
            return;
        }
        String message = "Chromium or chromedriver not found (looked in /usr/bin and PATH);"
                + " install the Debian packages chromium and chromium-driver to run this test";
        if ("true".equalsIgnoreCase(System.getenv("SSEKIT_REQUIRE_BROWSER"))) {
            fail(message + " (SSEKIT_REQUIRE_BROWSER=true makes it required)");
        }
        assumeTrue(false, message + "; skipped");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (server != null) {
                server.close(Duration.ofMillis(500));
            }
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
        }
    }

    @Test
    void pageShowsLiveEventsAndCatchesUpAfterTheServerEndsItsStream() throws Exception {
        browser.navigate(server.uri());
        waitUntil("demo users loaded", () ->
                browser.script("return document.querySelectorAll('#user option').length;")
                        .asInt() == 5);
        browser.click("#user option[value='alice']");
        browser.click("#connect");
        waitForState("open");

        browser.click("#notify-user option[value='alice']");
        browser.click("#send-notification");
        waitUntil("the notification on the page", () -> shownBodies().equals(
                List.of("Your lab results are in")));

        JsonNode dropped = http.call("POST", "/api/demo/drop-my-streams", TestTokens.alice(),
                Map.of(), 200);
        assertThat(dropped.get("streamsClosed").asInt()).isEqualTo(1);
        waitForState("reconnecting");
        List<String> sentMeanwhile = List.of("gap 1", "gap 2", "gap 3");
        for (String body : sentMeanwhile) {
            JsonNode sent = http.call("POST", "/api/notifications", TestTokens.bob(),
                    Map.of("userId", "alice", "body", body), 202);
            assertThat(sent.get("streamsReached").asInt())
                    .as("sent while the page had no stream").isZero();
        }

        waitForState("open");
        waitUntil("the missed notifications replayed", () -> shownBodies().size() == 4);
        List<ShownEvent> shown = shownEvents();
        assertThat(shown).extracting(ShownEvent::type).containsOnly("notification");
        assertThat(shownBodies()).containsExactly("Your lab results are in",
                "gap 1", "gap 2", "gap 3");
        assertThat(shown).extracting(ShownEvent::id).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).startsWith("id ").hasSizeGreaterThan(3));
        assertThat(shown.get(1).payload().get("from").asText()).isEqualTo("bob");

        browser.click("#send-notification");
        waitUntil("a live event after the reconnection", () -> shownBodies().size() == 5);
    }

    private void waitForState(String state) {
        waitUntil("connection state " + state, () ->
                browser.script("return document.querySelector('#state').textContent;")
                        .asText().equals(state));
    }

    private List<String> shownBodies() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (ShownEvent event : shownEvents()) {
            bodies.add(event.payload().get("body").asText());
        }
        return bodies;
    }

    private List<ShownEvent> shownEvents() throws Exception {
        List<ShownEvent> events = new ArrayList<>();
        for (JsonNode item : browser.script(LIST_EVENTS)) {
            events.add(new ShownEvent(item.get("type").asText(), item.get("id").asText(),
                    ClinicHttp.JSON.readTree(item.get("payload").asText())));
        }
        return events;
    }

    private static void waitUntil(String what, Callable<Boolean> check) {
        ConditionFactory await = Awaitility.await(what).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100));
        await.until(check);
    }
}
