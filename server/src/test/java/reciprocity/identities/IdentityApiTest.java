package reciprocity.identities;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reciprocity.support.TestServer;

/** The user's own identities through HTTP: listed, claimed, released, and never a person the user owes. */
class IdentityApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static long claim(String token, Map<String, Object> body) {
        return server.as(token).body(body).post("/v1/me/identities").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void identities_are_claimed_in_canonical_form_listed_and_released() {
        String t = server.registerLongLived().accessToken();
        server.as(t).get("/v1/me/identities").then().statusCode(200).body("items", hasSize(0));
        long x = server.as(t).body(Map.of("url", "https://twitter.com/Me_Myself/status/12")).post("/v1/me/identities").then()
                .statusCode(201).body("platform", equalTo("x")).body("handle", equalTo("me_myself"))
                .body("url", equalTo("https://x.com/me_myself")).extract().jsonPath().getLong("id");
        claim(t, Map.of("platform", "mastodon", "handle", "@Me@Hachyderm.io"));
        server.as(t).get("/v1/me/identities").then().statusCode(200)
                .body("items.platform", equalTo(List.of("mastodon", "x")))
                .body("items[0].handle", equalTo("me@hachyderm.io"));

        server.rawAs(t).body(Map.of("url", "https://x.com/ME_MYSELF")).post("/v1/me/identities").then()
                .statusCode(409).body("detail", containsString("already one of your identities"));
        server.as(t).delete("/v1/me/identities/" + x).then().statusCode(204);
        server.as(t).delete("/v1/me/identities/" + x).then().statusCode(404);
        server.as(t).get("/v1/me/identities").then().body("items", hasSize(1));
    }

    @Test
    void my_own_profile_is_never_a_person_i_owe() {
        String t = server.registerLongLived().accessToken();
        claim(t, Map.of("url", "https://x.com/me"));

        server.rawAs(t).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("person", Map.of("url", "https://x.com/me/status/9"), "direction", "inbound", "kind", "comment"))
                .post("/v1/interactions").then().statusCode(422);
        server.as(t).queryParam("url", "https://x.com/Me").get("/v1/lookup").then().statusCode(200)
                .body("self", equalTo(true)).body("person", nullValue());
        server.rawAs(t).body(Map.of("displayName", "Me?", "handles", List.of(Map.of("platform", "x", "handle", "me"))))
                .post("/v1/contacts").then().statusCode(422).body("field", equalTo("handle"));
        long other = server.as(t).body(Map.of("displayName", "Other", "handles", List.of())).post("/v1/contacts").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        server.rawAs(t).body(Map.of("url", "https://x.com/me")).post("/v1/contacts/" + other + "/handles").then().statusCode(422);
        server.as(t).get("/v1/summary").then().body("open", equalTo(0));
        server.as(t).get("/v1/contacts").then().body("items.displayName", equalTo(List.of("Other")));
    }

    @Test
    void claiming_a_handle_a_contact_has_is_a_409_naming_the_contact() {
        String t = server.registerLongLived().accessToken();
        long alice = server.as(t).body(Map.of("displayName", "Alice", "handles", List.of(Map.of("platform", "github", "handle", "alice"))))
                .post("/v1/contacts").then().statusCode(201).extract().jsonPath().getLong("id");
        server.rawAs(t).body(Map.of("url", "https://github.com/Alice")).post("/v1/me/identities").then()
                .statusCode(409).body("detail", containsString("github:alice already belongs to contact " + alice + " (Alice)"));
        server.as(t).get("/v1/me/identities").then().body("items", hasSize(0));
    }

    @Test
    void bad_identities_are_problems_naming_the_field() {
        String t = server.registerLongLived().accessToken();
        server.rawAs(t).body(Map.of("platform", "myspace", "handle", "me")).post("/v1/me/identities").then()
                .statusCode(400).body("field", equalTo("platform"));
        server.rawAs(t).body(Map.of("platform", "x", "handle", "m".repeat(300))).post("/v1/me/identities").then()
                .statusCode(400).body("field", equalTo("handle"));
        server.rawAs(t).body(Map.of("url", "https://example.com/me")).post("/v1/me/identities").then()
                .statusCode(422).body("field", equalTo("url"));
        server.rawAs(t).body(Map.of("url", "https://x.com/me", "platform", "x")).post("/v1/me/identities").then().statusCode(400);
        server.rawAs(t).body(Map.of("contactId", 1)).post("/v1/me/identities").then().statusCode(400).body("field", equalTo("contactId"));
        server.as(t).get("/v1/me/identities").then().body("items", hasSize(0));
    }

    @Test
    void another_user_cannot_see_or_remove_my_identities() {
        String a = server.registerLongLived().accessToken();
        String b = server.registerLongLived().accessToken();
        long id = claim(a, Map.of("url", "https://github.com/a-person"));
        server.as(b).delete("/v1/me/identities/" + id).then().statusCode(404);
        server.as(b).get("/v1/me/identities").then().body("items", hasSize(0));
        // The same handle can be B's own too: identities are per user.
        claim(b, Map.of("url", "https://github.com/a-person"));
        server.as(a).get("/v1/me/identities").then().body("items", hasSize(1));
    }
}
