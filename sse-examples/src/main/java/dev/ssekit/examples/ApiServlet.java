package dev.ssekit.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ssekit.Emission;
import dev.ssekit.auth.AuthenticatedUser;
import dev.ssekit.auth.AuthenticationException;
import dev.ssekit.auth.Authenticator;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clinic's JSON API under {@code /api/*}. Each action changes the in-memory data, then
 * emits its event through {@link ClinicEvents}; the response says which event ids were sent
 * and how many open streams they reached.
 *
 * <p>Every answer is JSON. Bad input gets a 400 naming the field, a missing or invalid token
 * a 401, a missing role a 403, an unknown entity a 404, a method the path does not serve a 405
 * with {@code Allow}; an unexpected failure is logged and answered with a 500 that carries no
 * details. A request whose {@code Host} is not a loopback name gets a 403 before anything else
 * (see {@link LoopbackHost}).
 *
 * <p>Thread-safe: it keeps no per-request state; the data and the hub are thread-safe.
 */
final class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(ApiServlet.class);
    private static final String BEARER = "Bearer ";
    private static final int MAX_ID = 100;
    private static final int MAX_TITLE = 200;
    private static final int MAX_TEXT = 2000;
    private static final List<String> SEVERITIES = List.of("info", "warning", "critical");

    /** One endpoint: a method, a path pattern relative to {@code /api}, a handler. */
    private record Route(String method, Pattern path, Handler handler) {
    }

    /** Handles a matched request; returns the reply or throws {@link ApiException}. */
    @FunctionalInterface
    private interface Handler {
        Reply handle(HttpServletRequest request, Matcher path) throws IOException;
    }

    /** A status, a JSON body and extra response headers. */
    private record Reply(int status, Object body, Map<String, String> headers) {

        Reply(int status, Object body) {
            this(status, body, Map.of());
        }
    }

    private final transient ObjectMapper mapper = new ObjectMapper();
    private final transient Authenticator authenticator;
    private final transient ClinicData data;
    private final transient ClinicEvents events;
    private final transient AppointmentReminders reminders;
    private final transient StreamTrackingHub hub;
    private final transient DemoTokens demoTokens;
    private final transient Clock clock;
    private final transient List<Route> routes;

    ApiServlet(Authenticator authenticator, ClinicData data, ClinicEvents events,
            AppointmentReminders reminders, StreamTrackingHub hub, DemoTokens demoTokens,
            Clock clock) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.data = Objects.requireNonNull(data, "data");
        this.events = Objects.requireNonNull(events, "events");
        this.reminders = Objects.requireNonNull(reminders, "reminders");
        this.hub = Objects.requireNonNull(hub, "hub");
        this.demoTokens = Objects.requireNonNull(demoTokens, "demoTokens");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.routes = List.of(
                route("GET", "/demo-users", this::demoUsers),
                route("POST", "/demo-login", this::demoLogin),
                route("POST", "/records", this::createRecord),
                route("PUT", "/records/([^/]+)", this::updateRecord),
                route("POST", "/alerts", this::raiseAlert),
                route("POST", "/notifications", this::sendNotification),
                route("PUT", "/prescriptions/([^/]+)/status", this::changePrescription),
                route("POST", "/appointments", this::bookAppointment),
                route("POST", "/reminders/run", this::runReminders),
                route("POST", "/demo/drop-my-streams", this::dropMyStreams));
    }

    private static Route route(String method, String path, Handler handler) {
        return new Route(method, Pattern.compile(path), handler);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        Reply reply;
        try {
            checkHost(request);
            reply = dispatch(request, path);
        } catch (ApiException e) {
            reply = new Reply(e.status(), errorBody(e.status(), e.getMessage()), e.headers());
        } catch (RuntimeException e) {
            log.warn("API {} {} failed unexpectedly", request.getMethod(), path, e);
            reply = error(500, "internal error; see the server log");
        }
        write(response, reply);
    }

    // A page on a foreign site that rebinds its DNS name to 127.0.0.1 sends its own name.
    private static void checkHost(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (!LoopbackHost.isLoopback(host == null ? request.getServerName() : host)) {
            throw new ApiException(403, "this demo API answers only requests addressed to"
                    + " localhost, 127.x.x.x or [::1] (check the Host header)");
        }
    }

    private Reply dispatch(HttpServletRequest request, String path) throws IOException {
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Matcher matcher = route.path().matcher(path);
            if (!matcher.matches()) {
                continue;
            }
            if (route.method().equals(request.getMethod())) {
                return handle(route, request, matcher);
            }
            allowed.add(route.method());
        }

        if (!allowed.isEmpty()) {
            throw new ApiException(405, request.getMethod() + " is not allowed on /api" + path
                    + "; use " + String.join(", ", allowed),
                    Map.of("Allow", String.join(", ", allowed)));
        }
        throw new ApiException(404, "no API endpoint /api" + path);
    }

    private static Reply handle(Route route, HttpServletRequest request, Matcher matcher)
            throws IOException {
        try {
            return route.handler().handle(request, matcher);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (NoSuchElementException e) {
            throw new ApiException(404, e.getMessage());
        }
    }

    // DEMO CONVENIENCE: lists the demo users, so the page can offer them.
    private Reply demoUsers(HttpServletRequest request, Matcher path) {
        return ok(Map.of("users", data.users(), "eventTypes", ClinicEvents.TYPES));
    }

    // DEMO CONVENIENCE: hands out a token for any demo user, without a password.
    private Reply demoLogin(HttpServletRequest request, Matcher path) throws IOException {
        String userId = body(request).text("user", MAX_ID);
        ClinicData.DemoUser user = data.user(userId).orElseThrow(() -> ApiException.badRequest(
                "unknown demo user '" + userId + "'; see GET /api/demo-users"));

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", user.id());
        body.put("name", user.name());
        body.put("roles", user.roles());
        body.put("token", demoTokens.issue(user));
        body.put("note", "demo only: a real service never hands out tokens like this");
        return ok(body);
    }

    private Reply createRecord(HttpServletRequest request, Matcher path) throws IOException {
        AuthenticatedUser caller = authenticate(request, ClinicData.STAFF);
        JsonBody body = body(request);
        String patientId = body.text("patientId", MAX_ID);
        String summary = body.text("summary", MAX_TEXT);

        ClinicData.PatientRecord record =
                data.createRecord(patientId, summary, caller.userId(), clock.instant());
        ClinicEvents.RecordChanged changed = change(record);
        List<Emission> sent = events.recordCreated(changed);
        return reply(201, sent, Map.of("record", changed));
    }

    private Reply updateRecord(HttpServletRequest request, Matcher path) throws IOException {
        AuthenticatedUser caller = authenticate(request, ClinicData.STAFF);
        String recordId = pathId(path);
        String summary = body(request).text("summary", MAX_TEXT);

        ClinicData.PatientRecord record =
                data.updateRecord(recordId, summary, caller.userId(), clock.instant());
        ClinicEvents.RecordChanged changed = change(record);
        List<Emission> sent = events.recordUpdated(changed);
        return reply(200, sent, Map.of("record", changed));
    }

    private Reply raiseAlert(HttpServletRequest request, Matcher path) throws IOException {
        AuthenticatedUser caller = authenticate(request, ClinicData.ADMIN);
        JsonBody body = body(request);
        String message = body.text("message", MAX_TEXT);
        String severity = body.text("severity", MAX_ID, "info");
        if (!SEVERITIES.contains(severity)) {
            throw ApiException.badRequest("field 'severity' must be one of " + SEVERITIES
                    + ", got '" + severity + "'");
        }

        Emission sent = events.systemAlert(severity, message, caller.userId());
        return reply(202, List.of(sent), Map.of());
    }

    private Reply sendNotification(HttpServletRequest request, Matcher path)
            throws IOException {
        AuthenticatedUser caller = authenticate(request, null);
        JsonBody body = body(request);
        String userId = body.text("userId", MAX_ID);
        String title = body.text("title", MAX_TITLE, "Message from " + caller.userId());
        String text = body.text("body", MAX_TEXT);
        if (data.user(userId).isEmpty()) {
            throw ApiException.badRequest("field 'userId' names no user: '" + userId + "'");
        }

        Emission sent = events.notify(userId, title, text, caller.userId());
        return reply(202, List.of(sent), Map.of());
    }

    private Reply changePrescription(HttpServletRequest request, Matcher path)
            throws IOException {
        authenticate(request, ClinicData.STAFF);
        String prescriptionId = pathId(path);
        String status = body(request).text("status", MAX_ID);

        ClinicData.StatusChange change = data.changePrescriptionStatus(prescriptionId, status);
        ClinicData.Prescription rx = change.prescription();
        Emission sent = events.prescriptionStatusChanged(rx.patientId(), rx.id(),
                rx.medication(), change.previousStatus(), rx.status());
        return reply(200, List.of(sent), Map.of("prescription", rx));
    }

    private Reply bookAppointment(HttpServletRequest request, Matcher path) throws IOException {
        AuthenticatedUser caller = authenticate(request, ClinicData.STAFF);
        JsonBody body = body(request);
        String patientId = body.text("patientId", MAX_ID);
        long minutes = body.number("startsInMinutes", 1, 60L * 24 * 30);

        ClinicData.Appointment appointment = data.bookAppointment(patientId, caller.userId(),
                clock.instant().plusSeconds(minutes * 60));
        return reply(201, List.of(), Map.of("appointment", Map.of(
                "id", appointment.id(), "patientId", appointment.patientId(),
                "clinicianId", appointment.clinicianId(),
                "startsAt", appointment.startsAt().toString())));
    }

    private Reply runReminders(HttpServletRequest request, Matcher path) {
        authenticate(request, ClinicData.ADMIN);
        return ok(Map.of("remindersSent", reminders.runOnce()));
    }

    // DEMO CONVENIENCE: ends the caller's own streams, to watch the page reconnect and resume.
    private Reply dropMyStreams(HttpServletRequest request, Matcher path) {
        AuthenticatedUser caller = authenticate(request, null);
        return ok(Map.of("streamsClosed", hub.closeStreamsOf(caller.userId())));
    }

    private AuthenticatedUser authenticate(HttpServletRequest request, String requiredRole) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw unauthorized("send a token as 'Authorization: Bearer <token>'");
        }

        AuthenticatedUser user = verify(header.substring(BEARER.length()).strip());
        if (requiredRole != null && !user.hasRole(requiredRole)) {
            throw new ApiException(403, "this action needs the '" + requiredRole + "' role");
        }
        return user;
    }

    private AuthenticatedUser verify(String token) {
        try {
            return authenticator.authenticate(token);
        } catch (AuthenticationException e) {
            throw unauthorized(e.getMessage());
        } catch (RuntimeException e) {
            // User code to this servlet: its message or stack trace may quote the token, so
            // only the exception's class is logged.
            log.warn("authenticator failed unexpectedly ({}); refusing the request",
                    e.getClass().getName());
            throw unauthorized("the token could not be verified");
        }
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(401, message, Map.of("WWW-Authenticate", "Bearer"));
    }

    private JsonBody body(HttpServletRequest request) throws IOException {
        String contentType = request.getContentType();
        if (contentType == null || !contentType.split(";", 2)[0].strip()
                .equalsIgnoreCase("application/json")) {
            throw new ApiException(415, "the request body must be application/json");
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(JsonBody.MAX_BYTES + 1);
        }
        if (bytes.length > JsonBody.MAX_BYTES) {
            throw new ApiException(413, "request body is larger than " + JsonBody.MAX_BYTES
                    + " bytes");
        }
        return JsonBody.parse(mapper, bytes);
    }

    private static String pathId(Matcher path) {
        String id = path.group(1);
        if (id.length() > MAX_ID) {
            throw ApiException.badRequest("id in the path is longer than " + MAX_ID
                    + " characters");
        }
        return id;
    }

    private static ClinicEvents.RecordChanged change(ClinicData.PatientRecord record) {
        return new ClinicEvents.RecordChanged(record.id(), record.patientId(), record.summary(),
                record.version(), record.updatedBy(), record.updatedAt().toString());
    }

    private static Reply reply(int status, List<Emission> sent, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>(extra);
        body.put("eventIds", sent.stream().map(Emission::eventId).toList());
        body.put("streamsReached", sent.stream().mapToInt(Emission::streamsReached).sum());
        return new Reply(status, body);
    }

    private static Reply ok(Object body) {
        return new Reply(200, body);
    }

    private static Reply error(int status, String message) {
        return new Reply(status, errorBody(status, message));
    }

    private static Map<String, Object> errorBody(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        return body;
    }

    private void write(HttpServletResponse response, Reply reply) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(reply.body());
        response.setStatus(reply.status());
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        reply.headers().forEach(response::setHeader);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
