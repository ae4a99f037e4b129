package reciprocity.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reciprocity.support.TestServer;

/** Every forged, stale or misused access token is a 401. */
class JwtAttackTest {
    static TestServer server;
    static TestServer.Session session;
    static long userId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        session = server.register();
        userId = ((Number) server.as(session.accessToken()).get("/v1/me").path("id")).longValue();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private int status(String token) {
        return server.raw().header("Authorization", "Bearer " + token).get("/v1/me").statusCode();
    }

    private com.auth0.jwt.JWTCreator.Builder valid() {
        Instant now = server.clock.instant();
        return JWT.create().withKeyId(server.keys.currentKid()).withIssuer("reciprocity").withAudience("reciprocity-api")
                .withSubject(Long.toString(userId)).withClaim("typ", "access").withClaim("ver", 0)
                .withIssuedAt(now).withExpiresAt(now.plusSeconds(900));
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_correctly_forged_token_with_the_server_key_is_accepted_so_the_negatives_below_mean_something() {
        assertEquals(200, status(valid().sign(Algorithm.HMAC256(server.keys.current()))));
    }

    @Test
    void alg_none_is_rejected() {
        String token = valid().sign(Algorithm.none());
        assertEquals(401, status(token));
        String handMade = b64("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + server.keys.currentKid() + "\"}") + "."
                + b64("{\"sub\":\"" + userId + "\",\"iss\":\"reciprocity\",\"aud\":\"reciprocity-api\",\"typ\":\"access\",\"ver\":0,\"iat\":"
                + Instant.now().getEpochSecond() + ",\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}") + ".";
        assertEquals(401, status(handMade));
    }

    @Test
    void another_algorithm_with_the_same_key_is_rejected() {
        assertEquals(401, status(valid().sign(Algorithm.HMAC512(server.keys.current()))));
        assertEquals(401, status(valid().sign(Algorithm.HMAC384(server.keys.current()))));
    }

    @Test
    void a_token_signed_with_another_key_is_rejected() {
        assertEquals(401, status(valid().sign(Algorithm.HMAC256("another-key-that-is-32-bytes-long!!"))));
    }

    @Test
    void missing_exp_is_rejected() {
        Instant now = server.clock.instant();
        String token = JWT.create().withKeyId(server.keys.currentKid()).withIssuer("reciprocity").withAudience("reciprocity-api")
                .withSubject(Long.toString(userId)).withClaim("typ", "access").withClaim("ver", 0).withIssuedAt(now)
                .sign(Algorithm.HMAC256(server.keys.current()));
        assertEquals(401, status(token));
    }

    @Test
    void wrong_issuer_or_audience_is_rejected() {
        assertEquals(401, status(valid().withIssuer("someone-else").sign(Algorithm.HMAC256(server.keys.current()))));
        assertEquals(401, status(valid().withAudience("other-api").sign(Algorithm.HMAC256(server.keys.current()))));
    }

    @Test
    void an_expired_token_is_rejected_once_the_clock_passes_its_lifetime() {
        TestServer.Session s = server.register();
        assertEquals(200, status(s.accessToken()));
        server.clock.advance(Duration.ofMinutes(16));
        try {
            assertEquals(401, status(s.accessToken()));
        } finally {
            server.clock.advance(Duration.ofMinutes(-16));
        }
    }

    @Test
    void an_unknown_kid_is_rejected() {
        assertEquals(401, status(valid().withKeyId("not-a-kid").sign(Algorithm.HMAC256(server.keys.current()))));
        String noKid = JWT.create().withIssuer("reciprocity").withAudience("reciprocity-api").withSubject(Long.toString(userId))
                .withClaim("typ", "access").withClaim("ver", 0).withIssuedAt(Instant.now()).withExpiresAt(Instant.now().plusSeconds(60))
                .sign(Algorithm.HMAC256(server.keys.current()));
        assertEquals(401, status(noKid));
    }

    @Test
    void a_refresh_token_or_a_non_access_typ_sent_as_bearer_is_rejected() {
        assertEquals(401, status(session.refreshToken()));
        assertEquals(401, status(valid().withClaim("typ", "refresh").sign(Algorithm.HMAC256(server.keys.current()))));
    }

    @Test
    void a_token_issued_before_a_password_change_is_rejected() {
        TestServer.Session s = server.register();
        server.as(s.accessToken()).body(Map.of("currentPassword", s.password(), "newPassword", "the second passphrase"))
                .post("/v1/me/password").then().statusCode(200);
        assertEquals(401, status(s.accessToken()));
    }

    @Test
    void garbage_and_other_schemes_are_rejected() {
        assertEquals(401, status("not-a-jwt"));
        assertEquals(401, status(""));
        assertEquals(401, server.raw().header("Authorization", "Basic dXNlcjpwYXNz").get("/v1/me").statusCode());
        assertEquals(401, server.raw().get("/v1/me").statusCode());
    }

    @Test
    void tokens_in_the_query_string_are_refused() {
        server.raw().queryParam("access_token", session.accessToken()).get("/v1/me").then().statusCode(400);
    }

    @Test
    void old_keys_keep_working_after_rotation_until_their_tokens_expire() {
        SigningKeys before = SigningKeys.random();
        SigningKeys rotated = new SigningKeys("new", Map.of("new", "n".repeat(40).getBytes(StandardCharsets.UTF_8),
                before.currentKid(), before.current()));
        AccessTokens oldIssuer = new AccessTokens(before, server.clock);
        AccessTokens newVerifier = new AccessTokens(rotated, server.clock);
        assertEquals(42L, newVerifier.verify(oldIssuer.issue(42, 0)).userId());
        assertEquals(43L, newVerifier.verify(newVerifier.issue(43, 0)).userId());
        AccessTokens withoutOld = new AccessTokens(new SigningKeys("new", Map.of("new", "n".repeat(40).getBytes(StandardCharsets.UTF_8))), server.clock);
        org.junit.jupiter.api.Assertions.assertThrows(reciprocity.web.ApiProblem.class, () -> withoutOld.verify(oldIssuer.issue(42, 0)));
    }
}
