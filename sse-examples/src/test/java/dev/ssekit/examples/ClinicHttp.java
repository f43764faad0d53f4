package dev.ssekit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A loopback HTTP client for the clinic's JSON API, with bounded timeouts. Thread-safe. */
final class ClinicHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    ClinicHttp(URI base) {
        this.base = base;
    }

    HttpClient client() {
        return http;
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    /** Sends {@code body} as JSON and checks the status; returns the parsed reply. */
    JsonNode call(String method, String path, String token, Object body, int expectedStatus)
            throws IOException, InterruptedException {
        HttpResponse<String> response = send(method, path, token, JSON.writeValueAsString(body));
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body())
                .isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    /** Sends a raw body (empty for none) with an optional bearer token. */
    HttpResponse<String> send(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
