package dev.ssekit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.ssekit.SseHub;
import dev.ssekit.auth.AuthenticationException;
import dev.ssekit.auth.Authenticator;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the no-argument servlet reads its init-params and context attributes; no I/O. */
class InitParamsTest {

    private final Map<String, String> params = new HashMap<>();
    private final Map<String, Object> attributes = new HashMap<>();
    private final SseHub hub = SseHub.builder().build();

    @AfterEach
    void closeHub() {
        hub.close(java.time.Duration.ZERO);
    }

    @Test
    void refusesToStartWithoutAHubAttribute() {
        assertThatThrownBy(() -> initParams().hub())
                .isInstanceOf(ServletException.class)
                .hasMessageContaining(SseServlet.HUB_ATTRIBUTE);
    }

    @Test
    void readsTheHubFromTheConfiguredAttribute() throws Exception {
        params.put(SseServlet.PARAM_HUB_ATTRIBUTE, "my.hub");
        attributes.put("my.hub", hub);

        assertThat(initParams().hub()).isSameAs(hub);
    }

    @Test
    void prefersAnAuthenticatorAttributeOverJwtParams() throws Exception {
        Authenticator own = token -> {
            throw new AuthenticationException("nobody");
        };
        attributes.put(SseServlet.AUTHENTICATOR_ATTRIBUTE, own);

        assertThat(initParams().authenticator()).isSameAs(own);
    }

    @Test
    void refusesToStartWithoutAnyKey() {
        assertThatThrownBy(() -> initParams().authenticator())
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("jwt.hmacSecret");
    }

    @Test
    void neverShowsASecretInItsErrors() {
        params.put("jwt.hmacSecret", "too-short-secret");

        assertThatThrownBy(() -> initParams().authenticator())
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("at least 32 bytes")
                .hasMessageNotContaining("too-short-secret");
    }

    @Test
    void appliesTheJwtOptions() throws Exception {
        params.put("jwt.hmacSecret", Tokens.SECRET);
        params.put("jwt.algorithms", "HS512");
        params.put("jwt.issuer", "https://auth.example");
        params.put("jwt.userIdClaim", "uid");
        Authenticator authenticator = initParams().authenticator();
        Algorithm hs512 = Algorithm.HMAC512(Tokens.SECRET);

        String good = JWT.create().withClaim("uid", "alice").withIssuer("https://auth.example")
                .withExpiresAt(Instant.now().plusSeconds(60)).sign(hs512);
        String hs256 = JWT.create().withClaim("uid", "alice").withIssuer("https://auth.example")
                .withExpiresAt(Instant.now().plusSeconds(60)).sign(Tokens.HS256);

        assertThat(authenticator.authenticate(good).userId()).isEqualTo("alice");
        assertThatThrownBy(() -> authenticator.authenticate(hs256))
                .hasMessage("token algorithm not accepted");
    }

    @Test
    void readsAnEcPublicKeyFromAFile(@TempDir Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        Path pem = dir.resolve("key.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        params.put("jwt.publicKeyFile", pem.toString());

        String token = JWT.create().withSubject("erin")
                .withExpiresAt(Instant.now().plusSeconds(60))
                .sign(Algorithm.ECDSA256((ECPublicKey) pair.getPublic(),
                        (ECPrivateKey) pair.getPrivate()));

        assertThat(initParams().authenticator().authenticate(token).userId()).isEqualTo("erin");
    }

    @Test
    void readsDefaultsAndRejectsInvalidValuesByName() throws Exception {
        assertThat(initParams().adminRole()).isEqualTo("admin");
        assertThat(initParams().closeOnTokenExpiry()).isTrue();
        assertThat(initParams().allowTokenQueryParameter()).isTrue();
        assertThat(initParams().retryAfterSeconds()).isEqualTo(10);

        params.put(SseServlet.PARAM_CLOSE_ON_TOKEN_EXPIRY, "yes");
        params.put(SseServlet.PARAM_RETRY_AFTER_SECONDS, "-1");

        assertThatThrownBy(() -> initParams().closeOnTokenExpiry())
                .hasMessageContaining(SseServlet.PARAM_CLOSE_ON_TOKEN_EXPIRY);
        assertThatThrownBy(() -> initParams().retryAfterSeconds())
                .hasMessageContaining(SseServlet.PARAM_RETRY_AFTER_SECONDS);
    }

    private InitParams initParams() {
        ServletContext context = (ServletContext) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServletContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getAttribute")) {
                        return attributes.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new InitParams(new ServletConfig() {
            @Override
            public String getServletName() {
                return "events";
            }

            @Override
            public ServletContext getServletContext() {
                return context;
            }

            @Override
            public String getInitParameter(String name) {
                return params.get(name);
            }

            @Override
            public Enumeration<String> getInitParameterNames() {
                return Collections.enumeration(params.keySet());
            }
        });
    }
}
