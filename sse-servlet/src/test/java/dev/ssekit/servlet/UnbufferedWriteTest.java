package dev.ssekit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which containers the transport writes to without the response buffer. The behaviour itself
 * (every frame on the wire at once, in order) is the servlet contract, run on both containers;
 * this pins which path each one takes, so that a container upgrade that loses the fast path
 * shows here instead of only in the benchmark.
 */
class UnbufferedWriteTest {

    static Iterable<Arguments> containers() {
        return List.of(
                Arguments.of("jetty", (Supplier<ServletContainer>) JettyContainer::new, true),
                Arguments.of("tomcat", (Supplier<ServletContainer>) TomcatContainer::new,
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void onlyJettyHasTheUnbufferedWrite(String name, Supplier<ServletContainer> factory,
            boolean expected) throws Exception {
        ServletContainer container = factory.get();
        try {
            int port = container.start(new ProbeServlet(), Map.of(), Map.of());

            HttpResponse<String> answer = probe(port, "/events/probe");

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("unbuffered=" + expected);
        } finally {
            container.stop();
        }
    }

    @Test
    void jettyWritesThroughItsBufferOnceSomethingElseDid() throws Exception {
        ServletContainer container = new JettyContainer();
        try {
            int port = container.start(new ProbeServlet(), Map.of(), Map.of());

            HttpResponse<String> answer = probe(port, "/events/probe?writeFirst");

            assertThat(answer.body()).isEqualTo(": first\nunbuffered=false");
        } finally {
            container.stop();
        }
    }

    private static HttpResponse<String> probe(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Answers whether the container's output stream has the unbuffered write. */
    static final class ProbeServlet extends HttpServlet {

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            response.setContentType("text/plain");
            if (request.getQueryString() != null) {
                response.getOutputStream().write(": first\n".getBytes(
                        StandardCharsets.US_ASCII));
            }
            boolean present = UnbufferedWrite.of(response.getOutputStream()).isPresent();
            response.getOutputStream().write(("unbuffered=" + present)
                    .getBytes(StandardCharsets.US_ASCII));
        }
    }
}
