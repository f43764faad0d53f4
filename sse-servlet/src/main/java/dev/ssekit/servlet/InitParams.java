package dev.ssekit.servlet;

import dev.ssekit.SseHub;
import dev.ssekit.auth.Authenticator;
import dev.ssekit.auth.JwtAuthenticator;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads an {@link SseServlet}'s configuration from its init-params and the servlet context,
 * for containers that create the servlet from {@code web.xml}. Every name and default is listed
 * in the Javadoc of {@link SseServlet}. Error messages name the param, never its value, since a
 * value may be a secret. Used once, from {@code init()}.
 */
final class InitParams {

    static final String JWT_HMAC_SECRET = "jwt.hmacSecret";
    static final String JWT_HMAC_SECRET_ENV = "jwt.hmacSecretEnv";
    static final String JWT_PUBLIC_KEY_PEM = "jwt.publicKeyPem";
    static final String JWT_PUBLIC_KEY_FILE = "jwt.publicKeyFile";
    static final String JWT_ALGORITHMS = "jwt.algorithms";
    static final String JWT_ISSUER = "jwt.issuer";
    static final String JWT_AUDIENCE = "jwt.audience";
    static final String JWT_LEEWAY_SECONDS = "jwt.leewaySeconds";
    static final String JWT_REQUIRE_EXPIRY = "jwt.requireExpiry";
    static final String JWT_USER_ID_CLAIM = "jwt.userIdClaim";
    static final String JWT_ROLES_CLAIM = "jwt.rolesClaim";

    private final ServletConfig config;

    InitParams(ServletConfig config) {
        this.config = config;
    }

    SseHub hub() throws ServletException {
        String name = param(SseServlet.PARAM_HUB_ATTRIBUTE, SseServlet.HUB_ATTRIBUTE);
        Object hub = config.getServletContext().getAttribute(name);
        if (!(hub instanceof SseHub)) {
            throw new ServletException("servlet context attribute '" + name
                    + "' must hold an SseHub; set it in a ServletContextListener");
        }
        return (SseHub) hub;
    }

    Authenticator authenticator() throws ServletException {
        String name = param(SseServlet.PARAM_AUTHENTICATOR_ATTRIBUTE,
                SseServlet.AUTHENTICATOR_ATTRIBUTE);
        Object attribute = config.getServletContext().getAttribute(name);
        if (attribute instanceof Authenticator authenticator) {
            return authenticator;
        }
        if (attribute != null) {
            throw new ServletException("servlet context attribute '" + name
                    + "' must hold an Authenticator");
        }
        try {
            return jwt();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ServletException("invalid jwt.* init-params: " + e.getMessage());
        }
    }

    String adminRole() {
        return param(SseServlet.PARAM_ADMIN_ROLE, "admin");
    }

    boolean closeOnTokenExpiry() throws ServletException {
        return bool(SseServlet.PARAM_CLOSE_ON_TOKEN_EXPIRY, true);
    }

    boolean allowTokenQueryParameter() throws ServletException {
        return bool(SseServlet.PARAM_ALLOW_TOKEN_QUERY_PARAMETER, true);
    }

    long retryAfterSeconds() throws ServletException {
        return seconds(SseServlet.PARAM_RETRY_AFTER_SECONDS, 10);
    }

    private JwtAuthenticator jwt() throws ServletException {
        JwtAuthenticator.Builder builder = JwtAuthenticator.builder();
        boolean keyed = addKeys(builder);
        if (!keyed) {
            throw new ServletException("no authenticator: set the context attribute '"
                    + SseServlet.AUTHENTICATOR_ATTRIBUTE + "' or one of the init-params "
                    + JWT_HMAC_SECRET + ", " + JWT_HMAC_SECRET_ENV + ", " + JWT_PUBLIC_KEY_PEM
                    + ", " + JWT_PUBLIC_KEY_FILE);
        }

        String algorithms = config.getInitParameter(JWT_ALGORITHMS);
        if (algorithms != null) {
            builder.algorithms(list(algorithms));
        }
        String issuer = config.getInitParameter(JWT_ISSUER);
        if (issuer != null) {
            builder.issuer(issuer.strip());
        }
        String audience = config.getInitParameter(JWT_AUDIENCE);
        if (audience != null) {
            builder.audience(list(audience));
        }
        return builder
                .leeway(Duration.ofSeconds(seconds(JWT_LEEWAY_SECONDS, 0)))
                .requireExpiry(bool(JWT_REQUIRE_EXPIRY, true))
                .userIdClaim(param(JWT_USER_ID_CLAIM, "sub"))
                .rolesClaim(param(JWT_ROLES_CLAIM, "roles"))
                .build();
    }

    private boolean addKeys(JwtAuthenticator.Builder builder) throws ServletException {
        boolean keyed = false;
        String secret = config.getInitParameter(JWT_HMAC_SECRET);
        String secretEnv = config.getInitParameter(JWT_HMAC_SECRET_ENV);
        if (secret == null && secretEnv != null) {
            secret = System.getenv(secretEnv.strip());
            if (secret == null) {
                throw new ServletException("environment variable named by "
                        + JWT_HMAC_SECRET_ENV + " is not set");
            }
        }
        if (secret != null) {
            builder.hmacSecret(secret);
            keyed = true;
        }
        String pem = config.getInitParameter(JWT_PUBLIC_KEY_PEM);
        if (pem != null) {
            builder.publicKeyPem(pem);
            keyed = true;
        }
        String file = config.getInitParameter(JWT_PUBLIC_KEY_FILE);
        if (file != null) {
            builder.publicKeyPem(readFile(file.strip()));
            keyed = true;
        }
        return keyed;
    }

    private static String readFile(String file) throws ServletException {
        try {
            return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ServletException("cannot read " + JWT_PUBLIC_KEY_FILE + " " + file, e);
        }
    }

    private String param(String name, String fallback) {
        String value = config.getInitParameter(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private boolean bool(String name, boolean fallback) throws ServletException {
        String value = param(name, Boolean.toString(fallback));
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new ServletException("init-param " + name + " must be true or false");
        }
        return Boolean.parseBoolean(value);
    }

    private long seconds(String name, long fallback) throws ServletException {
        String value = param(name, Long.toString(fallback));
        try {
            long seconds = Long.parseLong(value);
            if (seconds < 0) {
                throw new NumberFormatException("negative");
            }
            return seconds;
        } catch (NumberFormatException e) {
            throw new ServletException("init-param " + name
                    + " must be a whole number of seconds >= 0");
        }
    }

    private static String[] list(String value) {
        return java.util.Arrays.stream(value.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toArray(String[]::new);
    }
}
