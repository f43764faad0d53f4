package dev.ssekit.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ssekit.Emission;
import dev.ssekit.EventTypeFilter;
import dev.ssekit.HubStats;
import dev.ssekit.InvalidFilterException;
import dev.ssekit.SseHub;
import dev.ssekit.SseStream;
import dev.ssekit.StreamRejectedException;
import dev.ssekit.StreamRequest;
import dev.ssekit.auth.AuthenticatedUser;
import dev.ssekit.auth.Authenticator;
import dev.ssekit.auth.JwtAuthenticator;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a hub's event streams and its admin endpoints under one servlet mapping, for example
 * {@code /events/*}. The servlet must be registered with async support on.
 *
 * <h2>Endpoints</h2>
 * <ul>
 *   <li>{@code GET {mount}/stream} opens an event stream for the authenticated user. Query
 *       {@code events=type1,prefix.*} selects event types ({@link EventTypeFilter#parse});
 *       absent means all. The {@code Last-Event-ID} header, or else a {@code lastEventId} query
 *       parameter (a browser cannot set the header on a first connection), resumes after that
 *       event. Answers 200 with {@code Content-Type: text/event-stream;charset=UTF-8},
 *       {@code Cache-Control: no-cache} and {@code X-Accel-Buffering: no}, and sends the
 *       headers with the hub's first line ({@code retry: 3000\n\n} by default) at once, before
 *       any event. The stream uses servlet async I/O with the async timeout off and
 *       non-blocking writes: no thread is held per open stream, and a client that stops
 *       reading holds none either (the hub drops it after its write timeout).
 *   <li>{@code GET {mount}/stats} (admin role only) answers the hub's {@link HubStats} as a
 *       JSON object; {@code startedAt} is an ISO-8601 string.
 *   <li>{@code POST {mount}/test} (admin role only) emits the event described by a JSON body
 *       {@code {"type": "ping", "data": "hello", "userId": "alice"}} ({@code data} a string
 *       sent as is or any JSON value sent as JSON; {@code userId} optional, for one user
 *       only) and answers 202 with {@code {"eventId": "...", "streamsReached": 1}}.
 * </ul>
 *
 * <h2>Authentication</h2>
 * The credential is the bearer token of the {@code Authorization: Bearer ...} header. On the
 * stream endpoint only, and unless {@link Builder#allowTokenQueryParameter} is off, a
 * {@code token} query parameter is accepted too, for browsers whose {@code EventSource} cannot
 * set headers; when both are present <b>the header wins</b> and the parameter is ignored.
 * Tokens in URLs may end up in access logs: prefer the header where the client allows it.
 * When {@link Builder#closeOnTokenExpiry} is on (the default), a stream closes when its
 * token expires, ending the response cleanly; the client then reconnects with a fresh token.
 *
 * <h2>Answers</h2>
 * Errors have a one-line {@code text/plain} body, never a stack trace:
 * 401 with {@code WWW-Authenticate: Bearer} for a missing credential, or
 * {@code Bearer error="invalid_token", error_description="..."} for a malformed, badly signed,
 * expired or not-yet-valid one (an {@link Authenticator} that throws anything other than
 * {@link AuthenticationException} counts as a refusal and is logged at WARN, by exception
 * class only); 403 for a non-admin on an admin endpoint; 404 for an unknown path; 405 with
 * {@code Allow} for a wrong method; 400 for a malformed {@code events} filter or test body;
 * 406 when {@code Accept} excludes {@code text/event-stream}; 429 when the user holds the
 * hub's per-user maximum of streams; 503 with {@code Retry-After} when the hub is full or
 * shutting down. Once a stream is open, only event-stream bytes are written to it.
 *
 * <h2>Configuration</h2>
 * Programmatically: {@code SseServlet.builder(hub, authenticator)} with the options of
 * {@link Builder}. In {@code web.xml}, with the no-argument constructor: the hub is read from
 * the servlet context attribute {@value #HUB_ATTRIBUTE} (set it in a
 * {@code ServletContextListener}), and these init-params apply:
 * <table>
 *   <caption>Init-params</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #PARAM_HUB_ATTRIBUTE}</td><td>{@value #HUB_ATTRIBUTE}</td>
 *       <td>context attribute holding the {@link SseHub}</td></tr>
 *   <tr><td>{@value #PARAM_AUTHENTICATOR_ATTRIBUTE}</td><td>{@value #AUTHENTICATOR_ATTRIBUTE}
 *       </td><td>context attribute holding an {@link Authenticator}; when set, the
 *       {@code jwt.*} params are ignored</td></tr>
 *   <tr><td>{@value #PARAM_ADMIN_ROLE}</td><td>{@code admin}</td>
 *       <td>role allowed on the admin endpoints</td></tr>
 *   <tr><td>{@value #PARAM_CLOSE_ON_TOKEN_EXPIRY}</td><td>{@code true}</td>
 *       <td>close a stream when its token expires</td></tr>
 *   <tr><td>{@value #PARAM_ALLOW_TOKEN_QUERY_PARAMETER}</td><td>{@code true}</td>
 *       <td>accept the {@code token} query parameter on the stream endpoint</td></tr>
 *   <tr><td>{@value #PARAM_RETRY_AFTER_SECONDS}</td><td>{@code 10}</td>
 *       <td>{@code Retry-After} of a 503</td></tr>
 * </table>
 * When no authenticator attribute is set, a {@link JwtAuthenticator} is built from these
 * (at least one key is required):
 * <table>
 *   <caption>JWT init-params</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code jwt.hmacSecret}</td><td>none</td><td>HMAC secret, at least 32 bytes
 *       (prefer {@code jwt.hmacSecretEnv}: a secret in {@code web.xml} ends up in backups)
 *       </td></tr>
 *   <tr><td>{@code jwt.hmacSecretEnv}</td><td>none</td><td>name of an environment variable
 *       holding the HMAC secret; ignored when {@code jwt.hmacSecret} is set</td></tr>
 *   <tr><td>{@code jwt.publicKeyPem}</td><td>none</td><td>RSA or EC public key, PEM</td></tr>
 *   <tr><td>{@code jwt.publicKeyFile}</td><td>none</td><td>path of a PEM public key file
 *       </td></tr>
 *   <tr><td>{@code jwt.algorithms}</td><td>all of the configured keys</td><td>comma-separated
 *       allow-list, for example {@code RS256}; {@code none} is refused</td></tr>
 *   <tr><td>{@code jwt.issuer}</td><td>no check</td><td>required {@code iss}</td></tr>
 *   <tr><td>{@code jwt.audience}</td><td>no check</td><td>comma-separated; {@code aud} must
 *       hold one of them</td></tr>
 *   <tr><td>{@code jwt.leewaySeconds}</td><td>{@code 0}</td><td>clock skew tolerated on
 *       {@code exp}, {@code nbf}, {@code iat}</td></tr>
 *   <tr><td>{@code jwt.requireExpiry}</td><td>{@code true}</td><td>refuse tokens without
 *       {@code exp}</td></tr>
 *   <tr><td>{@code jwt.userIdClaim}</td><td>{@code sub}</td><td>claim holding the user id
 *       </td></tr>
 *   <tr><td>{@code jwt.rolesClaim}</td><td>{@code roles}</td><td>claim holding the roles, an
 *       array or a space- or comma-separated string</td></tr>
 * </table>
 * A missing hub, an invalid value or a missing key fails {@code init()} with a
 * {@link ServletException} that names the param but never shows its value.
 *
 * <h2>Lifecycle</h2>
 * The servlet never closes the hub: the host owns it. {@link #destroy()} closes the streams
 * this servlet opened, so a container shutting down ends them promptly; for a graceful
 * shutdown that spreads reconnections, close the hub before stopping the container.
 *
 * <p>Thread-safe: the container calls it concurrently; its configuration is fixed after
 * {@link #init()}.
 */
public final class SseServlet extends HttpServlet {

    /** The default servlet context attribute holding the {@link SseHub}. */
    public static final String HUB_ATTRIBUTE = "dev.ssekit.SseHub";

    /** The default servlet context attribute holding an {@link Authenticator}. */
    public static final String AUTHENTICATOR_ATTRIBUTE = "dev.ssekit.auth.Authenticator";

    /** Init-param: the context attribute holding the hub. */
    public static final String PARAM_HUB_ATTRIBUTE = "hubAttribute";

    /** Init-param: the context attribute holding an authenticator. */
    public static final String PARAM_AUTHENTICATOR_ATTRIBUTE = "authenticatorAttribute";

    /** Init-param: the admin role. */
    public static final String PARAM_ADMIN_ROLE = "adminRole";

    /** Init-param: whether streams close when their token expires. */
    public static final String PARAM_CLOSE_ON_TOKEN_EXPIRY = "closeOnTokenExpiry";

    /** Init-param: whether the {@code token} query parameter is accepted. */
    public static final String PARAM_ALLOW_TOKEN_QUERY_PARAMETER = "allowTokenQueryParameter";

    /** Init-param: the {@code Retry-After} of a 503, in seconds. */
    public static final String PARAM_RETRY_AFTER_SECONDS = "retryAfterSeconds";

    /** The largest test-event body accepted, in bytes. */
    public static final int MAX_TEST_BODY_BYTES = 64 * 1024;

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(SseServlet.class);
    private static final String STREAM = "/stream";
    private static final String STATS = "/stats";
    private static final String TEST = "/test";
    private static final List<String> SINGLE_PARAMETERS = List.of("token", "lastEventId");
    /** The longest {@code Last-Event-ID} accepted, in characters. */
    private static final int MAX_LAST_EVENT_ID_LENGTH = 1024;

    // Set once, by the builder or by init(), before the container sends any request.
    private transient SseHub hub;
    private transient BearerAuthentication authentication;
    private boolean closeOnTokenExpiry;
    private boolean allowTokenQueryParameter;
    private long retryAfterSeconds;

    private final transient ObjectMapper mapper = new ObjectMapper();
    private final transient Set<SseStream> openStreams = ConcurrentHashMap.newKeySet();

    /**
     * For {@code web.xml} and other reflective registration: the configuration comes from
     * init-params and context attributes in {@link #init()}. Hosts that construct the servlet
     * themselves use {@link #builder}.
     */
    public SseServlet() {
    }

    private SseServlet(Builder builder) {
        this.hub = builder.hub;
        this.authentication = new BearerAuthentication(builder.authenticator, builder.adminRole);
        this.closeOnTokenExpiry = builder.closeOnTokenExpiry;
        this.allowTokenQueryParameter = builder.allowTokenQueryParameter;
        // Retry-After takes whole seconds; round up so that a short delay is not sent as 0.
        this.retryAfterSeconds = (builder.retryAfter.toMillis() + 999) / 1000;
    }

    /** Starts a servlet over a hub, authenticating clients with the given authenticator. */
    public static Builder builder(SseHub hub, Authenticator authenticator) {
        return new Builder(hub, authenticator);
    }

    /**
     * Reads the configuration from init-params and context attributes when the servlet was
     * created by its no-argument constructor; does nothing for a built servlet.
     *
     * @throws ServletException if the hub attribute is missing or an init-param is invalid
     */
    @Override
    public void init() throws ServletException {
        if (hub != null) {
            return;
        }
        InitParams params = new InitParams(getServletConfig());
        this.hub = params.hub();
        this.authentication =
                new BearerAuthentication(params.authenticator(), params.adminRole());
        this.closeOnTokenExpiry = params.closeOnTokenExpiry();
        this.allowTokenQueryParameter = params.allowTokenQueryParameter();
        this.retryAfterSeconds = params.retryAfterSeconds();
    }

    /** Closes the streams this servlet opened; the hub itself stays open. */
    @Override
    public void destroy() {
        for (SseStream stream : Set.copyOf(openStreams)) {
            stream.close();
        }
    }

    /**
     * Routes a request to its endpoint. Answers every failure itself, with the statuses listed
     * in the class documentation.
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
        try {
            route(request, response);
        } catch (IOException e) {
            // The client went away while a short answer was written: nothing left to tell it.
            log.debug("answer to {} not delivered: {}", request.getPathInfo(), e.toString());
        } catch (RuntimeException e) {
            log.warn("request to {} failed; answering 503", request.getPathInfo(), e);
            failSafe(response);
        }
    }

    /** Answers 503 instead of the container's 500 page, if nothing was sent yet. */
    private void failSafe(HttpServletResponse response) {
        if (response.isCommitted()) {
            return;
        }
        try {
            response.reset();
            unavailable(response, "the request could not be served");
        } catch (IOException | IllegalStateException e) {
            log.debug("could not answer 503: {}", e.toString());
        }
    }

    private void route(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!hasReadableParameters(request)) {
            HttpAnswers.text(response, HttpServletResponse.SC_BAD_REQUEST,
                    "malformed query string");
            return;
        }
        String repeated = repeatedSingleParameter(request);
        if (repeated != null) {
            HttpAnswers.text(response, HttpServletResponse.SC_BAD_REQUEST,
                    "the " + repeated + " parameter may be given once only");
            return;
        }
        String path = request.getPathInfo();
        String method = request.getMethod();
        if (STREAM.equals(path)) {
            routeGet(method, response, () -> openStream(request, response));
        } else if (STATS.equals(path)) {
            routeGet(method, response, () -> serveStats(request, response));
        } else if (TEST.equals(path)) {
            if ("POST".equals(method)) {
                emitTestEvent(request, response);
            } else {
                methodNotAllowed(response, "POST");
            }
        } else {
            HttpAnswers.text(response, HttpServletResponse.SC_NOT_FOUND, "not found");
        }
    }

    /**
     * Whether the container can decode the query string. Containers throw their own unchecked
     * exception for a malformed one (a bad percent escape, invalid UTF-8), which is the
     * client's error, not the server's.
     */
    private static boolean hasReadableParameters(HttpServletRequest request) {
        try {
            request.getParameterMap();
            return true;
        } catch (RuntimeException e) {
            log.debug("malformed query string on {}: {}", request.getPathInfo(),
                    e.getClass().getName());
            return false;
        }
    }

    /**
     * The name of a parameter that must be single but is repeated, or {@code null}. With two
     * tokens or two ids, which one counts would depend on the container.
     */
    private static String repeatedSingleParameter(HttpServletRequest request) {
        for (String name : SINGLE_PARAMETERS) {
            String[] values = request.getParameterValues(name);
            if (values != null && values.length > 1) {
                return name;
            }
        }
        return null;
    }

    private void routeGet(String method, HttpServletResponse response, Endpoint endpoint)
            throws IOException {
        if ("GET".equals(method)) {
            endpoint.serve();
        } else {
            methodNotAllowed(response, "GET");
        }
    }

    private static void methodNotAllowed(HttpServletResponse response, String allow)
            throws IOException {
        response.setHeader("Allow", allow);
        HttpAnswers.text(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                "method not allowed; use " + allow);
    }

    private void openStream(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        AuthenticatedUser user =
                authentication.authenticate(request, response, allowTokenQueryParameter);
        if (user == null) {
            return;
        }
        EventTypeFilter filter;
        try {
            filter = EventTypeFilter.parse(selectedTypes(request));
        } catch (InvalidFilterException e) {
            HttpAnswers.text(response, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        if (!AcceptHeader.allowsEventStream(request.getHeaders("Accept"))) {
            HttpAnswers.text(response, HttpServletResponse.SC_NOT_ACCEPTABLE,
                    "this endpoint only serves text/event-stream");
            return;
        }
        if (!request.isAsyncSupported()) {
            log.error("SseServlet is registered without async support; enable it "
                    + "(asyncSupported=true) to serve event streams");
            unavailable(response, "event streams are not available on this server");
            return;
        }

        String lastEventId = lastEventId(request);
        if (lastEventId != null && lastEventId.length() > MAX_LAST_EVENT_ID_LENGTH) {
            HttpAnswers.text(response, HttpServletResponse.SC_BAD_REQUEST,
                    "Last-Event-ID longer than " + MAX_LAST_EVENT_ID_LENGTH + " characters");
            return;
        }

        StreamRequest streamRequest = StreamRequest.builder(user.userId())
                .roles(user.roles())
                .filter(filter)
                .lastEventId(lastEventId)
                .expiresAt(closeOnTokenExpiry ? user.expiresAt() : null)
                .build();
        start(streamRequest, request, response);
    }

    /** Every {@code events} parameter, joined: {@code ?events=a&events=b} means {@code a,b}. */
    private static String selectedTypes(HttpServletRequest request) {
        String[] values = request.getParameterValues("events");
        return values == null ? null : String.join(",", values);
    }

    private static String lastEventId(HttpServletRequest request) {
        String header = request.getHeader("Last-Event-ID");
        return header != null ? HeaderText.utf8(header) : request.getParameter("lastEventId");
    }

    /** Registers the stream with the hub, then hands the response over to the transport. */
    private void start(StreamRequest streamRequest, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        AsyncStreamTransport transport = new AsyncStreamTransport();
        SseStream stream;
        try {
            stream = hub.open(streamRequest, transport);
        } catch (StreamRejectedException e) {
            log.debug("stream for user={} refused: {}", streamRequest.userId(), e.reason());
            refuse(e, response);
            return;
        }

        openStreams.add(stream);
        stream.onClose(reason -> openStreams.remove(stream));
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream;charset=UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = null;
        try {
            async = request.startAsync();
            async.setTimeout(0);
            transport.attach(async, stream);
        } catch (IllegalStateException | IOException e) {
            log.warn("[{} user={}] could not start the async response: {}", stream.id(),
                    stream.userId(), e.toString());
            stream.close();
            failSafe(response);
            if (async != null) {
                async.complete();
            }
        }
    }

    private void refuse(StreamRejectedException e, HttpServletResponse response)
            throws IOException {
        if (e.reason() == StreamRejectedException.Reason.USER_LIMIT) {
            HttpAnswers.text(response, 429, e.getMessage());
        } else {
            unavailable(response, e.getMessage());
        }
    }

    private void unavailable(HttpServletResponse response, String message) throws IOException {
        response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        HttpAnswers.text(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, message);
    }

    private void serveStats(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (authentication.authorizeAdmin(request, response) == null) {
            return;
        }
        HttpAnswers.json(response, HttpServletResponse.SC_OK, mapper, hub.stats());
    }

    private void emitTestEvent(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (authentication.authorizeAdmin(request, response) == null) {
            return;
        }
        if (!isJson(request.getContentType())) {
            HttpAnswers.text(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "the body must be application/json");
            return;
        }
        byte[] body = readBody(request);
        if (body == null) {
            HttpAnswers.text(response, 413, "body larger than " + MAX_TEST_BODY_BYTES + " bytes");
            return;
        }

        Emission emission;
        try {
            TestEventBody parsed = TestEventBody.parse(mapper, body);
            emission = parsed.userId() == null ? hub.emit(parsed.event())
                    : hub.emitTo(parsed.userId(), parsed.event());
        } catch (IllegalArgumentException e) {
            HttpAnswers.text(response, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("eventId", emission.eventId());
        answer.put("streamsReached", emission.streamsReached());
        HttpAnswers.json(response, HttpServletResponse.SC_ACCEPTED, mapper, answer);
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].strip();
        return mediaType.equalsIgnoreCase("application/json");
    }

    /** Reads at most {@link #MAX_TEST_BODY_BYTES}; {@code null} if the body is larger. */
    private static byte[] readBody(HttpServletRequest request) throws IOException {
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_TEST_BODY_BYTES + 1);
            return body.length > MAX_TEST_BODY_BYTES ? null : body;
        }
    }

    /** One endpoint's handling, for routing. */
    @FunctionalInterface
    private interface Endpoint {
        void serve() throws IOException;
    }

    /** Configures an {@link SseServlet}. Not thread-safe. */
    public static final class Builder {

        private final SseHub hub;
        private final Authenticator authenticator;
        private String adminRole = "admin";
        private boolean closeOnTokenExpiry = true;
        private boolean allowTokenQueryParameter = true;
        private Duration retryAfter = Duration.ofSeconds(10);

        private Builder(SseHub hub, Authenticator authenticator) {
            this.hub = Objects.requireNonNull(hub, "hub");
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        }

        /** The role allowed on the admin endpoints; default {@code admin}. */
        public Builder adminRole(String adminRole) {
            this.adminRole = Objects.requireNonNull(adminRole, "adminRole");
            return this;
        }

        /** Whether a stream closes when its token expires; default {@code true}. */
        public Builder closeOnTokenExpiry(boolean closeOnTokenExpiry) {
            this.closeOnTokenExpiry = closeOnTokenExpiry;
            return this;
        }

        /**
         * Whether a {@code token} query parameter is accepted on the stream endpoint (an
         * {@code Authorization} header still wins); default {@code true}.
         */
        public Builder allowTokenQueryParameter(boolean allowTokenQueryParameter) {
            this.allowTokenQueryParameter = allowTokenQueryParameter;
            return this;
        }

        /**
         * The {@code Retry-After} sent with a 503 (hub full or shutting down), whole seconds;
         * default 10 s.
         */
        public Builder retryAfter(Duration retryAfter) {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (retryAfter.isNegative()) {
                throw new IllegalArgumentException("retryAfter must not be negative, got "
                        + retryAfter);
            }
            this.retryAfter = retryAfter;
            return this;
        }

        /** Returns the servlet, to register with the container (with async support on). */
        public SseServlet build() {
            return new SseServlet(this);
        }
    }
}
