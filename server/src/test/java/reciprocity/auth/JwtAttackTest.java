package reciprocity.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import reciprocity.support.JwtAttacks;
import reciprocity.support.TestServer;

/** Every forged, stale or misused access token is a 401. */
class JwtAttackTest {
    static TestServer server;
    static TestServer.Session session;
    static long userId;
    static long otherUserId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        session = server.register();
        userId = ((Number) server.as(session.accessToken()).get("/v1/me").path("id")).longValue();
        TestServer.Session other = server.register();
        otherUserId = ((Number) server.as(other.accessToken()).get("/v1/me").path("id")).longValue();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private int status(String token) {
        return server.raw().header("Authorization", "Bearer " + token).get("/v1/me").statusCode();
    }

    @Test
    void a_correctly_forged_token_with_the_server_key_is_accepted_so_the_negatives_below_mean_something() {
        assertEquals(200, status(JwtAttacks.valid(server.keys, server.clock.instant(), userId)));
    }

    @TestFactory
    Stream<DynamicTest> every_forged_tampered_or_misused_token_is_rejected() {
        return JwtAttacks.forged(server.keys, server.clock.instant(), userId, otherUserId, session.refreshToken()).stream()
                .map(attack -> dynamicTest(attack.name() + " is rejected", () -> assertEquals(401, status(attack.token()), attack.name())));
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
    void a_token_issued_before_a_password_change_is_rejected() {
        TestServer.Session s = server.register();
        server.as(s.accessToken()).body(Map.of("currentPassword", s.password(), "newPassword", "the second passphrase"))
                .post("/v1/me/password").then().statusCode(200);
        assertEquals(401, status(s.accessToken()));
    }

    @Test
    void garbage_and_other_schemes_are_rejected() {
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
