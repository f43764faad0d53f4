package dev.ssekit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssekit.SseHub;
import dev.ssekit.auth.Authenticator;
import jakarta.servlet.http.HttpServlet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When the authenticator throws something other than an authentication failure, the API
 * refuses the request with a 401 and logs the failure without the token: the exception's
 * message (which may quote the token) stays out of the log.
 */
class ApiAuthenticatorFailureTest {

    private static final String TOKEN = "secret-token-value-0123456789";

    private final Authenticator broken = token -> {
        throw new IllegalStateException("cannot parse token " + token);
    };
    private SseHub hub;
    private Server jetty;
    private ClinicHttp http;

    @BeforeEach
    void startApiWithABrokenAuthenticator() throws Exception {
        hub = SseHub.builder().build();
        StreamTrackingHub tracking = new StreamTrackingHub(hub);
        ClinicData data = new ClinicData(Clock.systemUTC().instant());
        ClinicEvents events = new ClinicEvents(tracking, data::staffIds, Clock.systemUTC());
        ApiServlet api = new ApiServlet(broken, data, events,
                new AppointmentReminders(data, events, Clock.systemUTC()), tracking,
                new DemoTokens(TestTokens.SECRET, Clock.systemUTC()), Clock.systemUTC());
        jetty = ClinicServer.jetty(0, new HttpServlet() { }, api, new PageServlet());
        jetty.start();
        int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
        http = new ClinicHttp(URI.create("http://127.0.0.1:" + port + "/"));
    }

    @AfterEach
    void stop() throws Exception {
        jetty.stop();
        hub.close(Duration.ZERO);
    }

    @Test
    void refusesAndLogsTheExceptionClassButNeverItsMessageOrTheToken() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream original = System.err;
        HttpResponse<String> response;
        // slf4j-simple writes to whatever System.err is at the time of each log call.
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            response = http.send("POST", "/api/alerts", TOKEN,
                    ClinicHttp.JSON.writeValueAsString(Map.of("message", "hello")));
        } finally {
            System.setErr(original);
        }

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(response.body()).doesNotContain(TOKEN);
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("authenticator failed unexpectedly")
                .contains(IllegalStateException.class.getName())
                .doesNotContain(TOKEN).doesNotContain("cannot parse token");
    }
}
