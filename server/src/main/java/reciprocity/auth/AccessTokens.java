package reciprocity.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import reciprocity.web.ApiProblem;

/** Issues and verifies the short-lived HS256 access tokens (JWTs) that sessions send as bearer tokens. */
public final class AccessTokens {
    public static final String ISSUER = "reciprocity";
    public static final String AUDIENCE = "reciprocity-api";
    public static final String TYPE = "access";
    public static final Duration LIFETIME = Duration.ofMinutes(15);

    /** What a valid access token says: whose it is, which password generation it belongs to, and until when. */
    public record Claims(long userId, int tokenVersion, Instant expiresAt) {}

    private final SigningKeys keys;
    private final Clock clock;
    private final Algorithm signer;
    // One verifier per key, built once; the token's kid picks it, an unknown kid is refused outright.
    private final Map<String, JWTVerifier> verifiers = new HashMap<>();

    public AccessTokens(SigningKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
        this.signer = Algorithm.HMAC256(keys.current());
        keys.keys().forEach((kid, key) -> verifiers.put(kid, ((JWTVerifier.BaseVerification) JWT.require(Algorithm.HMAC256(key))
                .withIssuer(ISSUER)
                .withAudience(AUDIENCE)
                .withClaim("typ", TYPE)
                .withClaimPresence("exp")
                .withClaimPresence("iat")
                .withClaimPresence("sub")
                .withClaimPresence("ver")
                .acceptLeeway(5))
                .build(clock)));
    }

    public String issue(long userId, int tokenVersion) {
        Instant now = clock.instant();
        return JWT.create()
                .withKeyId(keys.currentKid())
                .withIssuer(ISSUER)
                .withAudience(AUDIENCE)
                .withSubject(Long.toString(userId))
                .withClaim("typ", TYPE)
                .withClaim("ver", tokenVersion)
                .withIssuedAt(now)
                .withExpiresAt(now.plus(LIFETIME))
                .sign(signer);
    }

    public Claims verify(String token) {
        try {
            DecodedJWT unverified = JWT.decode(token);
            JWTVerifier verifier = unverified.getKeyId() == null ? null : verifiers.get(unverified.getKeyId());
            if (verifier == null) {
                throw ApiProblem.unauthorized("The access token was not signed by this server; sign in again");
            }
            DecodedJWT jwt = verifier.verify(unverified);
            return new Claims(Long.parseLong(jwt.getSubject()), jwt.getClaim("ver").asInt(), jwt.getExpiresAtAsInstant());
        } catch (JWTVerificationException | NumberFormatException | NullPointerException e) {
            throw ApiProblem.unauthorized("The access token is invalid or expired; refresh it or sign in again");
        }
    }
}
