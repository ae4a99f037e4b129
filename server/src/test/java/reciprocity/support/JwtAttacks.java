package reciprocity.support;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import reciprocity.auth.SigningKeys;

/** The JWT attack set: forged, tampered and misused bearer tokens that every server must refuse with 401. */
public final class JwtAttacks {
    private static final String OTHER_KEY = "another-key-that-is-32-bytes-long!!";

    /** One attack: what it tries, and the token it sends. */
    public record Attack(String name, String token) {}

    private JwtAttacks() {}

    /** The claims of a good access token for {@code userId} at {@code now}, before signing. */
    public static JWTCreator.Builder claims(SigningKeys keys, Instant now, long userId) {
        return JWT.create().withKeyId(keys.currentKid()).withIssuer("reciprocity").withAudience("reciprocity-api")
                .withSubject(Long.toString(userId)).withClaim("typ", "access").withClaim("ver", 0)
                .withIssuedAt(now).withExpiresAt(now.plusSeconds(900));
    }

    /** A correctly signed access token: the control that shows the attacks fail for the reason they name. */
    public static String valid(SigningKeys keys, Instant now, long userId) {
        return claims(keys, now, userId).sign(hs256(keys));
    }

    /**
     * Every attack that needs no change on the server: each token is refused by a server holding {@code keys}
     * whose clock reads about {@code now}, where {@code userId} (token version 0) is signed in with
     * {@code refreshToken} and {@code otherUserId} is another account.
     */
    public static List<Attack> forged(SigningKeys keys, Instant now, long userId, long otherUserId, String refreshToken) {
        Algorithm key = hs256(keys);
        String kid = keys.currentKid();
        String handMadeNone = b64("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}") + "."
                + b64("{\"sub\":\"" + userId + "\",\"iss\":\"reciprocity\",\"aud\":\"reciprocity-api\",\"typ\":\"access\",\"ver\":0,\"iat\":"
                + now.getEpochSecond() + ",\"exp\":" + (now.getEpochSecond() + 600) + "}") + ".";
        return List.of(
                new Attack("alg none", claims(keys, now, userId).sign(Algorithm.none())),
                new Attack("a hand-made alg none token", handMadeNone),
                new Attack("HS512 with the server key", claims(keys, now, userId).sign(Algorithm.HMAC512(keys.current()))),
                new Attack("HS384 with the server key", claims(keys, now, userId).sign(Algorithm.HMAC384(keys.current()))),
                new Attack("a token signed with another key", claims(keys, now, userId).sign(Algorithm.HMAC256(OTHER_KEY))),
                new Attack("a payload tampered to name another user", tampered(valid(keys, now, userId), keys, now, otherUserId)),
                new Attack("a token without exp", JWT.create().withKeyId(kid).withIssuer("reciprocity").withAudience("reciprocity-api")
                        .withSubject(Long.toString(userId)).withClaim("typ", "access").withClaim("ver", 0).withIssuedAt(now).sign(key)),
                new Attack("a token that expired", claims(keys, now.minusSeconds(1000), userId).sign(key)),
                new Attack("another issuer", claims(keys, now, userId).withIssuer("someone-else").sign(key)),
                new Attack("another audience", claims(keys, now, userId).withAudience("other-api").sign(key)),
                new Attack("an unknown kid", claims(keys, now, userId).withKeyId("not-a-kid").sign(key)),
                new Attack("no kid", JWT.create().withIssuer("reciprocity").withAudience("reciprocity-api").withSubject(Long.toString(userId))
                        .withClaim("typ", "access").withClaim("ver", 0).withIssuedAt(now).withExpiresAt(now.plusSeconds(60)).sign(key)),
                new Attack("a token version the account never had", claims(keys, now, userId).withClaim("ver", 1).sign(key)),
                new Attack("a refresh token sent as bearer", refreshToken),
                new Attack("typ refresh", claims(keys, now, userId).withClaim("typ", "refresh").sign(key)),
                new Attack("garbage", "not-a-jwt"),
                new Attack("an empty token", ""));
    }

    /** {@code token}'s header and signature around the payload of a token for {@code otherUserId}. */
    private static String tampered(String token, SigningKeys keys, Instant now, long otherUserId) {
        String[] parts = token.split("\\.");
        String otherPayload = valid(keys, now, otherUserId).split("\\.")[1];
        return parts[0] + "." + otherPayload + "." + parts[2];
    }

    private static Algorithm hs256(SigningKeys keys) {
        return Algorithm.HMAC256(keys.current());
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
