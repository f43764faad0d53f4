package dev.ssekit.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.Verification;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Authenticates clients by JSON Web Tokens (RFC 7519) signed with an HMAC secret, an RSA public
 * key or an EC public key, using java-jwt.
 *
 * <p>A token is accepted only when all of these hold:
 * <ul>
 *   <li>its header names an algorithm on the allow-list ({@link Builder#algorithms}); the
 *       unsigned algorithm {@code none} is never accepted, and a token cannot choose a key
 *       family other than the one its algorithm belongs to (no RSA-key-as-HMAC-secret);
 *   <li>its signature verifies with the configured key for that algorithm;
 *   <li>it has an {@code exp} claim (unless {@link Builder#requireExpiry} is off) that is not
 *       past, and its {@code nbf} and {@code iat}, if present, are not in the future, each with
 *       the configured {@link Builder#leeway};
 *   <li>its {@code iss} and {@code aud} match, when {@link Builder#issuer} and
 *       {@link Builder#audience} are configured;
 *   <li>it carries a non-empty string user id in the {@link Builder#userIdClaim} claim;
 *   <li>the host's {@link UserLookup} admits the user.
 * </ul>
 * Roles come from the {@link Builder#rolesClaim} claim, either a JSON array of strings or one
 * string separated by spaces or commas (as OAuth's {@code scope}); a missing claim means no
 * roles. The user's {@link AuthenticatedUser#expiresAt()} is the token's {@code exp} plus the
 * leeway: the moment the token stops being accepted.
 *
 * <p>Refusals throw {@link AuthenticationException} with a short client-safe message such as
 * {@code token expired}; neither the token nor the key ever appears in a message or a log.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class JwtAuthenticator implements Authenticator {

    /** HMAC secrets shorter than this many bytes are refused (RFC 7518, section 3.2). */
    public static final int MIN_HMAC_SECRET_BYTES = 32;

    private final Map<String, JWTVerifier> verifiers;
    private final String userIdClaim;
    private final String rolesClaim;
    private final UserLookup userLookup;
    private final Duration leeway;

    private JwtAuthenticator(Builder builder, Map<String, JWTVerifier> verifiers) {
        this.verifiers = verifiers;
        this.userIdClaim = builder.userIdClaim;
        this.rolesClaim = builder.rolesClaim;
        this.userLookup = builder.userLookup;
        this.leeway = builder.leeway;
    }

    /** Returns a builder; set at least one key before {@link Builder#build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The algorithms this authenticator accepts, for example {@code [HS256, HS384]}. */
    public Set<String> algorithms() {
        return verifiers.keySet();
    }

    /**
     * Verifies a token and returns its user. Thread-safe; does not block unless the
     * {@link UserLookup} does.
     *
     * @throws AuthenticationException if the token is malformed, badly signed, expired, not yet
     *     valid, for another issuer or audience, lacks a user id, or the lookup refuses the user
     */
    @Override
    public AuthenticatedUser authenticate(String token) throws AuthenticationException {
        Objects.requireNonNull(token, "token");
        DecodedJWT decoded = decode(token);

        JWTVerifier verifier = verifiers.get(decoded.getAlgorithm());
        if (verifier == null) {
            throw new AuthenticationException("token algorithm not accepted");
        }
        DecodedJWT verified = verify(verifier, token);

        // The token stays acceptable for the leeway past its exp, and so does the stream.
        Instant expiry = verified.getExpiresAtAsInstant();
        AuthenticatedUser user = new AuthenticatedUser(userId(verified), roles(verified),
                expiry == null ? null : expiry.plus(leeway));
        AuthenticatedUser admitted = userLookup.lookUp(user);
        if (admitted == null) {
            throw new AuthenticationException("unknown user");
        }
        return admitted;
    }

    private static DecodedJWT decode(String token) throws AuthenticationException {
        try {
            return JWT.decode(token);
        } catch (JWTDecodeException e) {
            throw new AuthenticationException("token malformed");
        }
    }

    private static DecodedJWT verify(JWTVerifier verifier, String token)
            throws AuthenticationException {
        try {
            return verifier.verify(token);
        } catch (TokenExpiredException e) {
            throw new AuthenticationException("token expired");
        } catch (SignatureVerificationException e) {
            throw new AuthenticationException("token signature invalid");
        } catch (MissingClaimException e) {
            throw new AuthenticationException("token lacks the " + e.getClaimName() + " claim");
        } catch (IncorrectClaimException e) {
            throw new AuthenticationException(incorrectClaimMessage(e.getClaimName()));
        } catch (JWTDecodeException e) {
            throw new AuthenticationException("token malformed");
        } catch (JWTVerificationException e) {
            throw new AuthenticationException("token invalid");
        }
    }

    private static String incorrectClaimMessage(String claim) {
        switch (claim) {
            case "nbf":
            case "iat":
                return "token not yet valid";
            case "iss":
                return "token issuer not accepted";
            case "aud":
                return "token audience not accepted";
            default:
                return "token claim " + claim + " not accepted";
        }
    }

    private String userId(DecodedJWT jwt) throws AuthenticationException {
        Claim claim = jwt.getClaim(userIdClaim);
        String userId = claim.isMissing() || claim.isNull() ? null : claim.asString();
        if (userId == null || userId.isBlank()) {
            throw new AuthenticationException("token has no user id in claim " + userIdClaim);
        }
        if (userId.chars().anyMatch(Character::isISOControl)) {
            // Such an id could forge lines in every log that names the user.
            throw new AuthenticationException("token user id holds a control character");
        }
        return userId;
    }

    private Set<String> roles(DecodedJWT jwt) throws AuthenticationException {
        Claim claim = jwt.getClaim(rolesClaim);
        if (claim.isMissing() || claim.isNull()) {
            return Set.of();
        }
        String text = claim.asString();
        if (text != null) {
            return splitRoles(text);
        }
        List<String> list = asStringList(claim);
        if (list == null) {
            throw new AuthenticationException("token claim " + rolesClaim
                    + " must be a string or an array of strings");
        }
        Set<String> roles = new LinkedHashSet<>();
        for (String role : list) {
            if (role != null && !role.isBlank()) {
                roles.add(role.strip());
            }
        }
        return roles;
    }

    private static List<String> asStringList(Claim claim) {
        try {
            return claim.asList(String.class);
        } catch (JWTDecodeException e) {
            return null;
        }
    }

    private static Set<String> splitRoles(String text) {
        Set<String> roles = new LinkedHashSet<>();
        for (String role : text.split("[\\s,]+")) {
            if (!role.isEmpty()) {
                roles.add(role);
            }
        }
        return roles;
    }

    /**
     * Configures a {@link JwtAuthenticator}. At least one key is required; every other option
     * has a default, listed on its setter. Not thread-safe.
     */
    public static final class Builder {

        private static final Set<String> KNOWN = Set.of("HS256", "HS384", "HS512",
                "RS256", "RS384", "RS512", "ES256", "ES384", "ES512");

        private final Map<String, Algorithm> available = new LinkedHashMap<>();
        private Set<String> allowed;
        private String issuer;
        private String[] audience;
        private Duration leeway = Duration.ZERO;
        private boolean requireExpiry = true;
        private String userIdClaim = "sub";
        private String rolesClaim = "roles";
        private Clock clock = Clock.systemUTC();
        private UserLookup userLookup = UserLookup.ACCEPT_ALL;

        private Builder() {
        }

        /**
         * Verifies HS256, HS384 and HS512 tokens with this secret, taken as its UTF-8 bytes.
         *
         * @throws IllegalArgumentException if the secret is shorter than
         *     {@value #MIN_HMAC_SECRET_BYTES} bytes
         */
        public Builder hmacSecret(String secret) {
            Objects.requireNonNull(secret, "secret");
            return hmacSecret(secret.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Verifies HS256, HS384 and HS512 tokens with this secret; the array is copied.
         *
         * @throws IllegalArgumentException if the secret is shorter than
         *     {@value #MIN_HMAC_SECRET_BYTES} bytes
         */
        public Builder hmacSecret(byte[] secret) {
            Objects.requireNonNull(secret, "secret");
            if (secret.length < MIN_HMAC_SECRET_BYTES) {
                // The length is no secret; the value never appears in a message.
                throw new IllegalArgumentException("HMAC secret must be at least "
                        + MIN_HMAC_SECRET_BYTES + " bytes, got " + secret.length);
            }
            byte[] copy = secret.clone();
            available.put("HS256", Algorithm.HMAC256(copy));
            available.put("HS384", Algorithm.HMAC384(copy));
            available.put("HS512", Algorithm.HMAC512(copy));
            return this;
        }

        /**
         * Verifies tokens with an RSA or EC public key: RS256, RS384 and RS512 for RSA; for EC
         * the one ES algorithm matching the key's curve (ES256 for P-256, ES384 for P-384,
         * ES512 for P-521).
         *
         * @throws IllegalArgumentException if the key is neither RSA nor EC on those curves
         */
        public Builder publicKey(PublicKey key) {
            Objects.requireNonNull(key, "key");
            if (key instanceof RSAPublicKey rsa) {
                available.put("RS256", Algorithm.RSA256(rsa, null));
                available.put("RS384", Algorithm.RSA384(rsa, null));
                available.put("RS512", Algorithm.RSA512(rsa, null));
                return this;
            }
            if (key instanceof ECPublicKey ec) {
                int bits = ec.getParams().getCurve().getField().getFieldSize();
                switch (bits) {
                    case 256 -> available.put("ES256", Algorithm.ECDSA256(ec, null));
                    case 384 -> available.put("ES384", Algorithm.ECDSA384(ec, null));
                    case 521 -> available.put("ES512", Algorithm.ECDSA512(ec, null));
                    default -> throw new IllegalArgumentException(
                            "EC key on a " + bits + "-bit curve; expected P-256, P-384 or P-521");
                }
                return this;
            }
            throw new IllegalArgumentException("public key must be RSA or EC, got "
                    + key.getAlgorithm());
        }

        /**
         * Same as {@link #publicKey(PublicKey)} with a PEM text
         * ({@code -----BEGIN PUBLIC KEY-----}, an X.509 SubjectPublicKeyInfo).
         *
         * @throws IllegalArgumentException if the text is not an RSA or EC public key in PEM
         */
        public Builder publicKeyPem(String pem) {
            return publicKey(PemKeys.parsePublicKey(Objects.requireNonNull(pem, "pem")));
        }

        /**
         * Restricts the accepted algorithms, for example {@code "RS256"}; default every
         * algorithm of the configured keys. {@code none} is refused.
         *
         * @throws IllegalArgumentException if the list is empty or names {@code none} or an
         *     unknown algorithm (a name without a configured key fails at {@link #build()})
         */
        public Builder algorithms(String... algorithms) {
            Objects.requireNonNull(algorithms, "algorithms");
            if (algorithms.length == 0) {
                throw new IllegalArgumentException("algorithms must not be empty");
            }
            Set<String> names = new LinkedHashSet<>();
            for (String name : algorithms) {
                Objects.requireNonNull(name, "algorithm");
                if (name.equalsIgnoreCase("none")) {
                    throw new IllegalArgumentException("algorithm 'none' is never accepted");
                }
                if (!KNOWN.contains(name)) {
                    throw new IllegalArgumentException("unknown JWT algorithm '" + name
                            + "'; expected HS256..HS512, RS256..RS512 or ES256..ES512");
                }
                names.add(name);
            }
            this.allowed = names;
            return this;
        }

        /** Requires this {@code iss} claim; default no check. */
        public Builder issuer(String issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /**
         * Requires the {@code aud} claim to contain at least one of these; default no check.
         */
        public Builder audience(String... audience) {
            Objects.requireNonNull(audience, "audience");
            if (audience.length == 0) {
                throw new IllegalArgumentException("audience must not be empty");
            }
            this.audience = audience.clone();
            return this;
        }

        /**
         * The clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}, rounded up to
         * whole seconds; default zero.
         */
        public Builder leeway(Duration leeway) {
            Objects.requireNonNull(leeway, "leeway");
            if (leeway.isNegative()) {
                throw new IllegalArgumentException("leeway must not be negative, got " + leeway);
            }
            this.leeway = leeway;
            return this;
        }

        /** Whether a token without {@code exp} is refused; default {@code true}. */
        public Builder requireExpiry(boolean requireExpiry) {
            this.requireExpiry = requireExpiry;
            return this;
        }

        /** The claim holding the user id, a string; default {@code sub}. */
        public Builder userIdClaim(String userIdClaim) {
            this.userIdClaim = claimName("userIdClaim", userIdClaim);
            return this;
        }

        /** The claim holding the roles; default {@code roles}. */
        public Builder rolesClaim(String rolesClaim) {
            this.rolesClaim = claimName("rolesClaim", rolesClaim);
            return this;
        }

        /** The time source for {@code exp}, {@code nbf} and {@code iat}; default UTC system. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The host's lookup of verified users; default {@link UserLookup#ACCEPT_ALL}. */
        public Builder userLookup(UserLookup userLookup) {
            this.userLookup = Objects.requireNonNull(userLookup, "userLookup");
            return this;
        }

        /**
         * Builds the authenticator.
         *
         * @throws IllegalStateException if no key is set, or an allowed algorithm has no key
         */
        public JwtAuthenticator build() {
            if (available.isEmpty()) {
                throw new IllegalStateException(
                        "no key configured: set hmacSecret, publicKey or publicKeyPem");
            }
            Set<String> names = allowed == null ? available.keySet() : allowed;
            Map<String, JWTVerifier> verifiers = new LinkedHashMap<>();
            for (String name : names) {
                Algorithm algorithm = available.get(name);
                if (algorithm == null) {
                    throw new IllegalStateException("algorithm " + name
                            + " is allowed but no key of its kind is configured");
                }
                verifiers.put(name, verifier(algorithm));
            }
            return new JwtAuthenticator(this, Collections.unmodifiableMap(verifiers));
        }

        private JWTVerifier verifier(Algorithm algorithm) {
            long seconds = leeway.getSeconds() + (leeway.getNano() > 0 ? 1 : 0);
            Verification verification = JWT.require(algorithm).acceptLeeway(seconds);
            if (requireExpiry) {
                verification.withClaimPresence("exp");
            }
            if (issuer != null) {
                verification.withIssuer(issuer);
            }
            if (audience != null) {
                verification.withAnyOfAudience(audience);
            }
            return ((JWTVerifier.BaseVerification) verification).build(clock);
        }

        private static String claimName(String name, String value) {
            Objects.requireNonNull(value, name);
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
        }
    }
}
