package reciprocity.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reciprocity.support.TestServer;

/**
 * The cross-user matrix, generated from openapi.yaml: user B calls every operation that takes an id with user A's ids
 * and must get 404 with A's data unchanged; and no list, lookup or export ever shows B anything of A's. A new route
 * whose ids this test cannot fill makes it fail, so the matrix grows with the API.
 */
class CrossUserMatrixTest {
    static TestServer server;
    static TestServer.Session a;
    static TestServer.Session b;
    static final Map<String, Object> ids = new LinkedHashMap<>();
    static final String MARKER = "zqxsecret";
    static long bContact;

    @BeforeAll
    static void seed() {
        server = TestServer.start();
        a = server.register();
        b = server.register();
        Response contact = server.as(a.accessToken()).body(Map.of("displayName", "Alice " + MARKER,
                        "handles", List.of(Map.of("platform", "x", "handle", MARKER + "a")), "notes", "notes " + MARKER))
                .post("/v1/contacts");
        contact.then().statusCode(201);
        ids.put("contact", contact.path("id"));
        ids.put("handle", contact.path("handles[0].id"));
        Response interaction = server.as(a.accessToken()).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("person", Map.of("contactId", contact.path("id")), "direction", "inbound", "kind", "comment",
                        "note", "note " + MARKER, "url", "https://x.com/" + MARKER + "a/status/1"))
                .post("/v1/interactions");
        interaction.then().statusCode(201);
        ids.put("interaction", interaction.path("id"));
        ids.put("obligation", server.as(a.accessToken()).get("/v1/obligations").path("items[0].id"));
        ids.put("token", server.as(a.accessToken()).body(Map.of("name", "token " + MARKER, "scopes", List.of("read")))
                .post("/v1/tokens").path("id"));
        ids.put("identity", server.as(a.accessToken()).body(Map.of("platform", "github", "handle", MARKER + "me"))
                .post("/v1/me/identities").path("id"));
        byte[] file = ("[{\"person\":{\"platform\":\"x\",\"handle\":\"" + MARKER + "b\"},\"direction\":\"inbound\",\"kind\":\"like\"}]")
                .getBytes(StandardCharsets.UTF_8);
        ids.put("import", server.as(a.accessToken()).contentType("application/octet-stream").queryParam("format", "json").body(file)
                .post("/v1/imports").then().statusCode(202).extract().path("importId"));
        ids.put("connector", server.as(a.accessToken()).body(Map.of("type", "mastodon", "baseUrl", "https://mastodon.example",
                "credentials", Map.of("accessToken", "token-" + MARKER))).post("/v1/connectors").then().statusCode(201).extract().path("id"));
        bContact = ((Number) server.as(b.accessToken()).body(Map.of("displayName", "Bob's friend", "handles", List.of()))
                .post("/v1/contacts").path("id")).longValue();
        ids.values().forEach(v -> assertNotNull(v, "seed incomplete: " + ids));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Which of A's ids a path parameter takes. */
    static Object idFor(String path, String parameter) {
        if (parameter.equals("handleId")) return ids.get("handle");
        if (path.startsWith("/v1/contacts/")) return ids.get("contact");
        if (path.startsWith("/v1/interactions/")) return ids.get("interaction");
        if (path.startsWith("/v1/obligations/")) return ids.get("obligation");
        if (path.startsWith("/v1/tokens/")) return ids.get("token");
        if (path.startsWith("/v1/me/identities/")) return ids.get("identity");
        if (path.startsWith("/v1/imports/")) return ids.get("import");
        if (path.startsWith("/v1/connectors/")) return ids.get("connector");
        return null;
    }

    /** A body B could legitimately send, so that only ownership can refuse the call. */
    static Object bodyFor(String method, String path) {
        if (path.endsWith("/snooze")) return Map.of("until", server.clock.instant().plusSeconds(86_400).toString());
        if (path.endsWith("/merge")) return Map.of("otherContactId", bContact);
        if (path.endsWith("/handles")) return Map.of("platform", "x", "handle", "brandnew" + (System.nanoTime() % 100000));
        if (method.equals("PATCH") && path.startsWith("/v1/contacts/")) return Map.of("displayName", "Hijacked");
        return null;
    }

    /** A's objects as A sees them, to prove B's attempts changed nothing. */
    static List<String> snapshotOfA() {
        List<String> out = new ArrayList<>();
        for (String path : List.of("/v1/contacts/" + ids.get("contact"), "/v1/interactions/" + ids.get("interaction"),
                "/v1/obligations?state=open", "/v1/tokens", "/v1/me/identities", "/v1/imports/" + ids.get("import"))) {
            Response r = server.as(a.accessToken()).get(path);
            assertEquals(200, r.statusCode(), path);
            out.add(path + " " + r.asString().replaceAll("\"(processed|state|finishedAt|startedAt|created|duplicates|total|errorCount)\":[^,}]*", ""));
        }
        return out;
    }

    @Test
    void user_b_gets_404_on_every_id_taking_operation_for_user_a_objects_and_a_data_is_unchanged() throws Exception {
        // Let A's import finish so its row stops changing.
        for (int i = 0; i < 100 && !"done".equals(server.as(a.accessToken()).get("/v1/imports/" + ids.get("import")).path("state")); i++) {
            Thread.sleep(50);
        }
        List<String> before = snapshotOfA();
        OpenAPI spec = new OpenAPIV3Parser().read(TestServer.SPEC.toString());
        int checked = 0;
        for (Map.Entry<String, PathItem> e : new TreeMap<>(spec.getPaths()).entrySet()) {
            for (var op : e.getValue().readOperationsMap().entrySet()) {
                List<Parameter> params = new ArrayList<>();
                if (e.getValue().getParameters() != null) params.addAll(e.getValue().getParameters());
                if (op.getValue().getParameters() != null) params.addAll(op.getValue().getParameters());
                String path = e.getKey();
                boolean takesId = false;
                for (Parameter p : params) {
                    if (p.get$ref() != null && p.get$ref().endsWith("/Id")) {
                        p = new Parameter().name("id").in("path");
                    }
                    if (!"path".equals(p.getIn())) continue;
                    if (path.startsWith("/docs/")) continue;
                    Object id = idFor(path, p.getName());
                    assertNotNull(id, "no fixture id for {" + p.getName() + "} in " + op.getKey() + " " + path + ": extend this test");
                    path = path.replace("{" + p.getName() + "}", id.toString());
                    takesId = true;
                }
                if (!takesId) continue;
                var req = server.rawAs(b.accessToken()).header("Idempotency-Key", UUID.randomUUID().toString());
                Object body = bodyFor(op.getKey().name(), e.getKey());
                if (body != null) req.body(body);
                Response r = req.request(op.getKey().name(), path);
                assertEquals(404, r.statusCode(), op.getKey() + " " + path + " by another user answered " + r.statusCode() + ": " + r.asString());
                assertFalse(r.asString().contains(MARKER), "a 404 leaked A's data: " + r.asString());
                checked++;
            }
        }
        // And the other way round: B cannot pull A's contact into B's own.
        server.rawAs(b.accessToken()).body(Map.of("otherContactId", ids.get("contact"))).post("/v1/contacts/" + bContact + "/merge")
                .then().statusCode(404);
        assertTrue(checked >= 15, "only " + checked + " id-taking operations were found");
        assertEquals(before, snapshotOfA());
    }

    @Test
    void no_list_lookup_summary_or_export_shows_user_b_anything_of_user_a() {
        OpenAPI spec = new OpenAPIV3Parser().read(TestServer.SPEC.toString());
        int checked = 0;
        for (Map.Entry<String, PathItem> e : new TreeMap<>(spec.getPaths()).entrySet()) {
            var get = e.getValue().getGet();
            if (get == null || e.getKey().contains("{") || !e.getKey().startsWith("/v1/")) continue;
            var req = server.as(b.accessToken());
            if (e.getKey().equals("/v1/lookup")) req.queryParam("url", "https://x.com/" + MARKER + "a");
            Response r = req.get(e.getKey());
            assertEquals(200, r.statusCode(), e.getKey());
            if (e.getKey().equals("/v1/lookup")) {
                // The answer repeats the URL B sent; what matters is that A's person is not behind it.
                assertNull(r.path("person"), "lookup showed B A's contact: " + r.asString());
            } else {
                assertFalse(r.asString().contains(MARKER), "GET " + e.getKey() + " showed B some of A's data: " + r.asString());
            }
            checked++;
        }
        Response batch = server.as(b.accessToken()).body(Map.of("urls", List.of("https://x.com/" + MARKER + "a", "https://x.com/" + MARKER + "b")))
                .post("/v1/lookup");
        batch.then().statusCode(200);
        assertFalse(batch.asString().contains("\"person\":{"), batch.asString());
        server.as(b.accessToken()).queryParam("q", MARKER).get("/v1/contacts").then().statusCode(200).body("items.size()", org.hamcrest.Matchers.equalTo(0));
        assertTrue(checked >= 8, "only " + checked + " lists were checked");
    }
}
