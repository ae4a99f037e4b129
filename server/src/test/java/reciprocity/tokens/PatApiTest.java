package reciprocity.tokens;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reciprocity.support.TestServer;

class PatApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private String create(TestServer.Session s, List<String> scopes, int days) {
        Response r = server.as(s.accessToken()).body(Map.of("name", "cli", "scopes", scopes, "expiresInDays", days)).post("/v1/tokens");
        r.then().statusCode(201).body("token", startsWith("rcp_")).body("prefix", startsWith("rcp_"));
        return r.path("token");
    }

    @Test
    void a_token_is_shown_once_and_listed_without_its_secret() {
        TestServer.Session s = server.register();
        String token = create(s, List.of("read", "write"), 30);
        String listing = server.as(s.accessToken()).get("/v1/tokens").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].name", equalTo("cli"))
                .body("items[0].scopes", equalTo(List.of("read", "write")))
                .body("items[0].lastUsedAt", nullValue())
                .extract().asString();
        assertFalse(listing.contains(token));
        assertFalse(listing.contains(token.substring(10)));
    }

    @Test
    void a_token_authenticates_and_records_last_use() {
        TestServer.Session s = server.register();
        String token = create(s, List.of("read"), 30);
        server.as(token).get("/v1/me").then().statusCode(200);
        server.as(s.accessToken()).get("/v1/tokens").then().body("items[0].lastUsedAt", not(nullValue()));
    }

    @Test
    void a_read_token_gets_403_on_writes() {
        TestServer.Session s = server.register();
        String token = create(s, List.of("read"), 30);
        server.as(token).body(Map.of("displayName", "Hacker")).patch("/v1/me").then().statusCode(403);
        server.as(s.accessToken()).get("/v1/me").then().body("displayName", equalTo("Test User"));
        String writer = create(s, List.of("read", "write"), 30);
        server.as(writer).body(Map.of("displayName", "Scripted")).patch("/v1/me").then().statusCode(200);
    }

    @Test
    void a_token_cannot_manage_tokens_or_the_account() {
        TestServer.Session s = server.register();
        String token = create(s, List.of("read", "write"), 30);
        server.as(token).body(Map.of("name", "x", "scopes", List.of("read"))).post("/v1/tokens").then().statusCode(403);
        server.as(token).delete("/v1/me").then().statusCode(403);
    }

    @Test
    void revoked_and_expired_tokens_get_401() {
        TestServer.Session s = server.register();
        String token = create(s, List.of("read"), 1);
        long id = ((Number) server.as(s.accessToken()).get("/v1/tokens").path("items[0].id")).longValue();
        String other = create(s, List.of("read"), 1);
        server.as(s.accessToken()).delete("/v1/tokens/" + id).then().statusCode(204);
        server.as(token).get("/v1/me").then().statusCode(401);
        server.clock.advance(Duration.ofDays(2));
        try {
            TestServer.Session fresh = server.register();
            server.as(other).get("/v1/me").then().statusCode(401);
            server.as(fresh.accessToken()).get("/v1/me").then().statusCode(200);
        } finally {
            server.clock.advance(Duration.ofDays(-2));
        }
    }

    @Test
    void a_token_with_a_typo_is_rejected() {
        TestServer.Session s = server.register();
        String token = create(s, List.of("read"), 30);
        char last = token.charAt(10);
        String typo = token.substring(0, 10) + (last == 'a' ? 'b' : 'a') + token.substring(11);
        assertFalse(PatFormat.isWellFormed(typo));
        server.as(typo).get("/v1/me").then().statusCode(401).body("detail", startsWith("The personal access token is malformed"));
    }

    @Test
    void another_users_token_id_is_a_404() {
        TestServer.Session a = server.register();
        TestServer.Session b = server.register();
        create(a, List.of("read"), 30);
        long id = ((Number) server.as(a.accessToken()).get("/v1/tokens").path("items[0].id")).longValue();
        server.as(b.accessToken()).delete("/v1/tokens/" + id).then().statusCode(404);
        server.as(a.accessToken()).get("/v1/tokens").then().body("items", hasSize(1));
    }

    @Test
    void bad_token_requests_are_400s_naming_the_field() {
        TestServer.Session s = server.register();
        server.rawAs(s.accessToken()).body(Map.of("name", "x", "scopes", List.of("admin"))).post("/v1/tokens").then()
                .statusCode(400).body("field", equalTo("scopes"));
        server.rawAs(s.accessToken()).body(Map.of("name", "x", "scopes", List.of("read"), "expiresInDays", 366)).post("/v1/tokens")
                .then().statusCode(400).body("field", equalTo("expiresInDays"));
        server.rawAs(s.accessToken()).body(Map.of("scopes", List.of("read"))).post("/v1/tokens").then()
                .statusCode(400).body("field", equalTo("name"));
        server.as(s.accessToken()).get("/v1/tokens").then().body("items", hasSize(0));
    }

    @Test
    void generated_tokens_are_well_formed_and_distinct() {
        String a = PatFormat.generate(), b = PatFormat.generate();
        assertTrue(PatFormat.isWellFormed(a));
        assertTrue(a.length() == PatFormat.LENGTH && !a.equals(b));
        assertFalse(PatFormat.isWellFormed(a.substring(0, a.length() - 1) + (a.endsWith("0") ? "1" : "0")));
        assertFalse(PatFormat.isWellFormed("rcp_short"));
    }
}
