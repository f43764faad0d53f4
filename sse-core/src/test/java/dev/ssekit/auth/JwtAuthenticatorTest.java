package dev.ssekit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JwtAuthenticatorTest {

    private static final String SECRET = "a-test-secret-that-is-at-least-32-bytes-long";
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static KeyPair rsa;
    private static KeyPair otherRsa;
    private static KeyPair ec;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        rsa = rsaGenerator.generateKeyPair();
        otherRsa = rsaGenerator.generateKeyPair();
        KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
        ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
        ec = ecGenerator.generateKeyPair();
    }

    private static JwtAuthenticator.Builder hmac() {
        return JwtAuthenticator.builder().hmacSecret(SECRET).clock(CLOCK);
    }

    private static JWTCreator.Builder token(String subject) {
        return JWT.create().withSubject(subject).withExpiresAt(NOW.plusSeconds(60));
    }

    private static Algorithm hs256() {
        return Algorithm.HMAC256(SECRET);
    }

    @Test
    void acceptsAnHmacTokenAndReadsUserRolesAndExpiry() throws Exception {
        String jwt = token("alice").withArrayClaim("roles", new String[] {"admin", "ops"})
                .sign(hs256());

        AuthenticatedUser user = hmac().build().authenticate(jwt);

        assertThat(user.userId()).isEqualTo("alice");
        assertThat(user.roles()).containsExactlyInAnyOrder("admin", "ops");
        assertThat(user.expiresAt()).isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void acceptsRolesAsASpaceOrCommaSeparatedString() throws Exception {
        String jwt = token("alice").withClaim("roles", "admin, ops  viewer").sign(hs256());

        assertThat(hmac().build().authenticate(jwt).roles())
                .containsExactlyInAnyOrder("admin", "ops", "viewer");
    }

    @Test
    void missingRolesClaimMeansNoRoles() throws Exception {
        assertThat(hmac().build().authenticate(token("bob").sign(hs256())).roles()).isEmpty();
    }

    @Test
    void refusesARolesClaimOfTheWrongType() {
        String jwt = token("bob").withClaim("roles", 42).sign(hs256());

        assertRefused(hmac().build(), jwt,
                "token claim roles must be a string or an array of strings");
    }

    @Test
    void readsUserIdAndRolesFromConfiguredClaims() throws Exception {
        String jwt = token("ignored").withClaim("uid", "carol")
                .withArrayClaim("groups", new String[] {"admin"}).sign(hs256());

        AuthenticatedUser user = hmac().userIdClaim("uid").rolesClaim("groups").build()
                .authenticate(jwt);

        assertThat(user.userId()).isEqualTo("carol");
        assertThat(user.roles()).containsExactly("admin");
    }

    @Test
    void refusesATokenWithoutUserId() {
        String jwt = JWT.create().withExpiresAt(NOW.plusSeconds(60)).sign(hs256());

        assertRefused(hmac().build(), jwt, "token has no user id in claim sub");
    }

    @Test
    void refusesAUserIdWithControlCharacters() {
        String jwt = token("al\r\nice INFO forged line").sign(hs256());

        assertThatThrownBy(() -> hmac().build().authenticate(jwt))
                .isInstanceOf(AuthenticationException.class)
                .hasMessage("token user id holds a control character");
    }

    @Test
    void theUserExpiresAtTheTokensExpiryPlusTheLeeway() throws Exception {
        String jwt = token("alice").sign(hs256());

        AuthenticatedUser user = hmac().leeway(Duration.ofSeconds(30)).build().authenticate(jwt);

        assertThat(user.expiresAt()).isEqualTo(NOW.plusSeconds(90));
    }

    @Test
    void refusesAnExpiredTokenUnlessWithinLeeway() throws Exception {
        String jwt = JWT.create().withSubject("alice").withExpiresAt(NOW.minusSeconds(5))
                .sign(hs256());

        assertRefused(hmac().build(), jwt, "token expired");
        assertThat(hmac().leeway(Duration.ofSeconds(10)).build().authenticate(jwt).userId())
                .isEqualTo("alice");
    }

    @Test
    void refusesATokenNotYetValidUnlessWithinLeeway() throws Exception {
        String jwt = token("alice").withNotBefore(NOW.plusSeconds(5)).sign(hs256());

        assertRefused(hmac().build(), jwt, "token not yet valid");
        assertThat(hmac().leeway(Duration.ofSeconds(10)).build().authenticate(jwt).userId())
                .isEqualTo("alice");
    }

    @Test
    void refusesATokenWithoutExpiryByDefault() throws Exception {
        String jwt = JWT.create().withSubject("alice").sign(hs256());

        assertRefused(hmac().build(), jwt, "token lacks the exp claim");
        AuthenticatedUser user = hmac().requireExpiry(false).build().authenticate(jwt);
        assertThat(user.expiresAt()).isNull();
    }

    @Test
    void checksIssuerAndAudience() throws Exception {
        JwtAuthenticator authenticator = hmac().issuer("https://auth.example")
                .audience("ssekit", "other").build();
        String good = token("alice").withIssuer("https://auth.example")
                .withAudience("ssekit").sign(hs256());
        String wrongIssuer = token("alice").withIssuer("https://evil.example")
                .withAudience("ssekit").sign(hs256());
        String wrongAudience = token("alice").withIssuer("https://auth.example")
                .withAudience("billing").sign(hs256());
        String noIssuer = token("alice").withAudience("ssekit").sign(hs256());

        assertThat(authenticator.authenticate(good).userId()).isEqualTo("alice");
        assertRefused(authenticator, wrongIssuer, "token issuer not accepted");
        assertRefused(authenticator, wrongAudience, "token audience not accepted");
        assertRefused(authenticator, noIssuer, "token lacks the iss claim");
    }

    @Test
    void refusesATokenSignedWithAnotherSecret() {
        String jwt = token("alice").sign(
                Algorithm.HMAC256("another-secret-that-is-at-least-32-bytes"));

        assertRefused(hmac().build(), jwt, "token signature invalid");
    }

    @Test
    void refusesMalformedTokens() {
        JwtAuthenticator authenticator = hmac().build();

        assertRefused(authenticator, "not-a-jwt", "token malformed");
        assertRefused(authenticator, "", "token malformed");
        assertRefused(authenticator, "a.b.c", "token malformed");
    }

    @Test
    void refusesAnUnsignedTokenEvenIfItsClaimsAreFine() {
        String jwt = token("alice").sign(Algorithm.none());

        assertThat(jwt).endsWith(".");
        assertRefused(hmac().build(), jwt, "token algorithm not accepted");
    }

    @Test
    void refusesAlgorithmNoneInTheAllowList() {
        assertThatThrownBy(() -> hmac().algorithms("HS256", "none"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'none' is never accepted");
    }

    @Test
    void verifiesRsaTokens() throws Exception {
        JwtAuthenticator authenticator = JwtAuthenticator.builder()
                .publicKey(rsa.getPublic()).clock(CLOCK).build();
        String jwt = token("alice").sign(rsaSigner(rsa));
        String forged = token("alice").sign(rsaSigner(otherRsa));

        assertThat(authenticator.authenticate(jwt).userId()).isEqualTo("alice");
        assertRefused(authenticator, forged, "token signature invalid");
        assertThat(authenticator.algorithms()).containsExactly("RS256", "RS384", "RS512");
    }

    @Test
    void verifiesEcTokensFromAPemKey() throws Exception {
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(ec.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        JwtAuthenticator authenticator = JwtAuthenticator.builder()
                .publicKeyPem(pem).clock(CLOCK).build();
        Algorithm signer = Algorithm.ECDSA256(
                (ECPublicKey) ec.getPublic(), (ECPrivateKey) ec.getPrivate());

        assertThat(authenticator.authenticate(token("erin").sign(signer)).userId())
                .isEqualTo("erin");
        assertThat(authenticator.algorithms()).containsExactly("ES256");
    }

    @Test
    void refusesAnHmacTokenSignedWithThePublicRsaKeyAsSecret() {
        // The classic algorithm confusion: the attacker signs HS256 with the public key bytes.
        JwtAuthenticator authenticator = JwtAuthenticator.builder()
                .publicKey(rsa.getPublic()).clock(CLOCK).build();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(rsa.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        String forged = token("mallory").withArrayClaim("roles", new String[] {"admin"})
                .sign(Algorithm.HMAC256(pem.getBytes(StandardCharsets.US_ASCII)));

        assertRefused(authenticator, forged, "token algorithm not accepted");
    }

    @Test
    void theAllowListNarrowsTheAcceptedAlgorithms() throws Exception {
        JwtAuthenticator authenticator = hmac().algorithms("HS512").build();
        String hs256 = token("alice").sign(hs256());
        String hs512 = token("alice").sign(Algorithm.HMAC512(SECRET));

        assertRefused(authenticator, hs256, "token algorithm not accepted");
        assertThat(authenticator.authenticate(hs512).userId()).isEqualTo("alice");
    }

    @Test
    void refusesAnAllowedAlgorithmWithoutKey() {
        assertThatThrownBy(() -> hmac().algorithms("RS256").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("RS256");
    }

    @Test
    void refusesShortSecretsWithoutShowingThem() {
        assertThatThrownBy(() -> JwtAuthenticator.builder().hmacSecret("short-secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32 bytes")
                .hasMessageNotContaining("short-secret");
    }

    @Test
    void refusesToBuildWithoutKey() {
        assertThatThrownBy(() -> JwtAuthenticator.builder().build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theUserLookupMayRefuseChangeOrNotFindTheUser() throws Exception {
        UserLookup lookup = user -> {
            switch (user.userId()) {
                case "disabled":
                    throw new AuthenticationException("user disabled");
                case "ghost":
                    return null;
                default:
                    return new AuthenticatedUser(user.userId(), Set.of("from-db"),
                            user.expiresAt());
            }
        };
        JwtAuthenticator authenticator = hmac().userLookup(lookup).build();

        assertRefused(authenticator, token("disabled").sign(hs256()), "user disabled");
        assertRefused(authenticator, token("ghost").sign(hs256()), "unknown user");
        assertThat(authenticator.authenticate(token("alice").sign(hs256())).roles())
                .containsExactly("from-db");
    }

    @Test
    void messagesNeverContainTheToken() {
        List<String> tokens = List.of(
                token("alice").sign(Algorithm.HMAC256("wrong-secret-wrong-secret-wrong-secret")),
                JWT.create().withSubject("alice").withExpiresAt(NOW.minusSeconds(1))
                        .sign(hs256()));

        for (String jwt : tokens) {
            assertThatThrownBy(() -> hmac().build().authenticate(jwt))
                    .isInstanceOf(AuthenticationException.class)
                    .hasMessageNotContaining(jwt.substring(jwt.lastIndexOf('.') + 1))
                    .hasMessageNotContaining(SECRET);
        }
    }

    private static Algorithm rsaSigner(KeyPair pair) {
        return Algorithm.RSA256(
                (RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate());
    }

    private static void assertRefused(JwtAuthenticator authenticator, String jwt,
            String message) {
        assertThatThrownBy(() -> authenticator.authenticate(jwt))
                .isInstanceOf(AuthenticationException.class)
                .hasMessage(message);
    }
}
