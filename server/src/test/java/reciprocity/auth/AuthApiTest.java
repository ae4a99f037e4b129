package reciprocity.auth;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reciprocity.support.TestServer;

class AuthApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void register_then_me_shows_the_account_with_default_settings() {
        TestServer.Session s = server.register("Ada@Example.com", "correct horse battery staple");
        server.as(s.accessToken()).get("/v1/me").then().statusCode(200)
                .body("email", equalTo("Ada@Example.com"))
                .body("displayName", equalTo("Test User"))
                .body("timezone", equalTo("UTC"))
                .body("settings.replyWindowHours", equalTo(48))
                .body("settings.weights.message", equalTo(1.5f));
    }

    @Test
    void registering_the_same_email_twice_in_another_case_is_a_conflict() {
        TestServer.Session s = server.register();
        server.api().body(Map.of("email", s.email().toUpperCase(), "password", "another long password", "displayName", "X"))
                .post("/v1/auth/register").then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void login_returns_a_bearer_pair_and_the_access_token_works() {
        TestServer.Session s = server.register();
        Response r = server.api().body(Map.of("email", s.email(), "password", s.password())).post("/v1/auth/login");
        r.then().statusCode(200).body("tokenType", equalTo("Bearer")).body("expiresIn", equalTo(900))
                .body("refreshToken", notNullValue());
        server.as(r.path("accessToken")).get("/v1/me").then().statusCode(200);
    }

    @Test
    void unknown_email_and_wrong_password_get_the_same_status_and_body() {
        TestServer.Session s = server.register();
        Response wrongPassword = server.api().body(Map.of("email", s.email(), "password", "not the password at all"))
                .post("/v1/auth/login");
        Response unknownEmail = server.api().body(Map.of("email", "nobody-" + s.email(), "password", "not the password at all"))
                .post("/v1/auth/login");
        assertEquals(401, wrongPassword.statusCode());
        assertEquals(401, unknownEmail.statusCode());
        Map<String, Object> a = new java.util.HashMap<>(wrongPassword.as(Map.class));
        Map<String, Object> b = new java.util.HashMap<>(unknownEmail.as(Map.class));
        assertEquals(a, b);
    }

    @Test
    void passwords_must_be_12_to_128_unicode_characters() {
        server.raw().body(Map.of("email", "short@example.com", "password", "elevenchars", "displayName", "S"))
                .post("/v1/auth/register").then().statusCode(400).body("field", equalTo("password"));
        server.raw().body(Map.of("email", "long@example.com", "password", "x".repeat(129), "displayName", "L"))
                .post("/v1/auth/register").then().statusCode(400).body("field", equalTo("password"));
        // Twelve emoji are 24 UTF-16 units but twelve characters: accepted, and they sign in again.
        String emoji = "🔑".repeat(12);
        TestServer.Session s = server.register("emoji@example.com", emoji);
        server.api().body(Map.of("email", s.email(), "password", emoji)).post("/v1/auth/login").then().statusCode(200);
    }

    @Test
    void refresh_rotates_and_a_reused_refresh_token_revokes_the_whole_family() {
        TestServer.Session s = server.register();
        String first = s.refreshToken();
        Response rotated = server.api().body(Map.of("refreshToken", first)).post("/v1/auth/refresh");
        rotated.then().statusCode(200);
        String second = rotated.path("refreshToken");
        assertNotEquals(first, second);
        // The thief replays the spent token: refused, and the family dies with it.
        server.api().body(Map.of("refreshToken", first)).post("/v1/auth/refresh").then().statusCode(401);
        server.api().body(Map.of("refreshToken", second)).post("/v1/auth/refresh").then().statusCode(401);
    }

    @Test
    void concurrent_use_of_one_refresh_token_succeeds_at_most_once() throws Exception {
        TestServer.Session s = server.register();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<Integer> call = () -> server.api().body(Map.of("refreshToken", s.refreshToken()))
                        .post("/v1/auth/refresh").statusCode();
                results.add(pool.submit(call));
            }
            int ok = 0;
            for (Future<Integer> f : results) {
                int status = f.get();
                assertTrue(status == 200 || status == 401, "status " + status);
                if (status == 200) ok++;
            }
            assertTrue(ok <= 1, ok + " refreshes succeeded");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void logout_revokes_the_refresh_token() {
        TestServer.Session s = server.register();
        server.api().body(Map.of("refreshToken", s.refreshToken())).post("/v1/auth/logout").then().statusCode(204);
        server.api().body(Map.of("refreshToken", s.refreshToken())).post("/v1/auth/refresh").then().statusCode(401);
    }

    @Test
    void password_change_revokes_refresh_tokens_and_older_access_tokens() {
        TestServer.Session s = server.register();
        Response changed = server.as(s.accessToken())
                .body(Map.of("currentPassword", s.password(), "newPassword", "a brand new passphrase"))
                .post("/v1/me/password");
        changed.then().statusCode(200);
        server.as(s.accessToken()).get("/v1/me").then().statusCode(401);
        server.api().body(Map.of("refreshToken", s.refreshToken())).post("/v1/auth/refresh").then().statusCode(401);
        server.as(changed.path("accessToken")).get("/v1/me").then().statusCode(200);
        server.api().body(Map.of("email", s.email(), "password", s.password())).post("/v1/auth/login").then().statusCode(401);
        server.api().body(Map.of("email", s.email(), "password", "a brand new passphrase")).post("/v1/auth/login").then().statusCode(200);
    }

    @Test
    void password_change_with_the_wrong_current_password_is_refused_and_changes_nothing() {
        TestServer.Session s = server.register();
        server.as(s.accessToken()).body(Map.of("currentPassword", "wrong wrong wrong", "newPassword", "a brand new passphrase"))
                .post("/v1/me/password").then().statusCode(403);
        server.as(s.accessToken()).get("/v1/me").then().statusCode(200);
    }

    @Test
    void patch_me_changes_profile_and_settings_and_rejects_bad_values() {
        TestServer.Session s = server.register();
        server.as(s.accessToken()).body(Map.of("displayName", "Ada L.", "timezone", "Europe/Berlin",
                        "settings", Map.of("replyWindowHours", 24, "weights", Map.of("like", 0.5))))
                .patch("/v1/me").then().statusCode(200)
                .body("displayName", equalTo("Ada L.")).body("timezone", equalTo("Europe/Berlin"))
                .body("settings.replyWindowHours", equalTo(24)).body("settings.weights.like", equalTo(0.5f))
                .body("settings.weights.comment", equalTo(1.0f));
        server.rawAs(s.accessToken()).body(Map.of("timezone", "Mars/Olympus")).patch("/v1/me").then().statusCode(400)
                .body("field", equalTo("timezone"));
        server.rawAs(s.accessToken()).body(Map.of("settings", Map.of("weights", Map.of("poke", 1))))
                .patch("/v1/me").then().statusCode(400).body("detail", startsWith("settings.weights has an unknown kind"));
        server.rawAs(s.accessToken()).body(Map.of("nickname", "x")).patch("/v1/me").then().statusCode(400)
                .body("field", equalTo("nickname"));
        server.as(s.accessToken()).get("/v1/me").then().body("displayName", equalTo("Ada L."));
    }

    @Test
    void delete_me_removes_the_account_and_its_tokens() {
        TestServer.Session s = server.register();
        server.as(s.accessToken()).body(Map.of("name", "script", "scopes", List.of("read"))).post("/v1/tokens").then().statusCode(201);
        server.as(s.accessToken()).body(Map.of("person", Map.of("platform", "x", "handle", "leaving_friend"), "direction", "inbound",
                "kind", "comment", "occurredAt", server.clock.instant().toString())).header("Idempotency-Key", "delete-me-" + s.email())
                .post("/v1/interactions").then().statusCode(201);
        long userId = server.database.jdbi().withHandle(h -> h.createQuery("select id from users where email_key = lower(:e)")
                .bind("e", s.email()).mapTo(Long.class).one());
        server.as(s.accessToken()).delete("/v1/me").then().statusCode(204);
        server.as(s.accessToken()).get("/v1/me").then().statusCode(401);
        server.api().body(Map.of("email", s.email(), "password", s.password())).post("/v1/auth/login").then().statusCode(401);
        long left = server.database.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from personal_access_tokens p left join users u on u.id = p.user_id where u.id is null")
                .mapTo(Long.class).one());
        assertEquals(0, left);
        long ledger = server.database.jdbi().withHandle(h -> h.createQuery("""
                        select (select count(*) from contacts where user_id = :u) + (select count(*) from handles where user_id = :u)
                             + (select count(*) from interactions where user_id = :u) + (select count(*) from obligations where user_id = :u)""")
                .bind("u", userId).mapTo(Long.class).one());
        assertEquals(0, ledger);
    }

    @Test
    void login_rehashes_a_password_stored_with_weaker_parameters() {
        TestServer.Session s = server.register();
        String weak = new Passwords(4096, 1, 1).hash(s.password());
        server.database.jdbi().useHandle(h -> h.createUpdate("update users set password_hash = :h where email_key = lower(:e)")
                .bind("h", weak).bind("e", s.email()).execute());
        server.api().body(Map.of("email", s.email(), "password", s.password())).post("/v1/auth/login").then().statusCode(200);
        String stored = server.database.jdbi().withHandle(h -> h.createQuery("select password_hash from users where email_key = lower(:e)")
                .bind("e", s.email()).mapTo(String.class).one());
        assertNotEquals(weak, stored);
        assertTrue(stored.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), stored);
        assertFalse(new Passwords().needsRehash(stored));
    }

    @Test
    void malformed_json_unknown_fields_and_empty_bodies_are_400_problems() {
        server.raw().body("{\"email\": ").post("/v1/auth/login").then().statusCode(400)
                .contentType("application/problem+json").body("detail", not(is("")));
        server.raw().body(Map.of("email", "a@b.co", "password", "x", "admin", true)).post("/v1/auth/login").then()
                .statusCode(400).body("field", equalTo("admin"));
        server.raw().body("").post("/v1/auth/login").then().statusCode(400);
        server.raw().body("[1,2]").post("/v1/auth/login").then().statusCode(400);
        server.raw().body(Map.of("email", 5, "password", "x")).post("/v1/auth/login").then().statusCode(400)
                .body("field", equalTo("email"));
    }
}
