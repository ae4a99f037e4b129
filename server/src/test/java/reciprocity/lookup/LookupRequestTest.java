package reciprocity.lookup;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import reciprocity.support.TestServer;
import reciprocity.web.Json;

/** `POST /v1/lookup` reads the plain body the extension sends token by token, and any other exactly as before. */
class LookupRequestTest {
    private final LookupController controller = new LookupController(null, Json.mapper());

    private List<String> plain(String body) {
        return controller.plainUrls(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void only_an_object_with_just_a_list_of_urls_is_read_token_by_token() {
        assertEquals(List.of("https://x.com/a", "b\u00e9\"\\/"), plain(" {\"urls\" : [\"https://x.com/a\", \"b\\u00e9\\\"\\\\\\/\"]}\n"));
        assertEquals(List.of(), plain("{\"urls\":[]}"));
        for (String other : List.of("", "null", "[]", "{}", "{\"urls\":null}", "{\"urls\":\"x\"}", "{\"urls\":[null]}",
                "{\"urls\":[1]}", "{\"urls\":[true]}", "{\"urls\":[[\"x\"]]}", "{\"urls\":[\"a\\u0000\"]}", "{\"urls\":[],\"x\":1}",
                "{\"x\":1,\"urls\":[]}", "{\"urls\":[],\"urls\":[]}", "{\"urls\":[]} {}", "{\"urls\":[]} x", "{\"urls\":[\"a\"",
                "{\"urls\":[\"a\",]}", "{'urls':[]}")) {
            assertNull(plain(other), other);
        }
        assertEquals(200, plain("{\"urls\":[" + String.join(",", Collections.nCopies(200, "\"u\"")) + "]}").size());
        assertNull(plain("{\"urls\":[" + String.join(",", Collections.nCopies(201, "\"u\"")) + "]}"));
    }

    @Test
    void other_bodies_are_answered_as_before() {
        try (TestServer server = TestServer.start()) {
            String token = server.registerLongLived().accessToken();
            server.as(token).body("{\"urls\":[\"https://x.com/a\",\"not a url\"]}").post("/v1/lookup").then().statusCode(200)
                    .body("results", hasSize(2)).body("results[0].handle", equalTo("a")).body("results[1].platform", equalTo(null));
            bad(server, token, "", null);
            bad(server, token, "{\"urls\":[\"https://x.com/a\"],\"x\":1}", "x");
            bad(server, token, "{\"urls\":[1]}", "urls[0]");
            bad(server, token, "{\"urls\":[null]}", "urls[0]");
            bad(server, token, "{\"urls\":\"https://x.com/a\"}", "urls");
            bad(server, token, "{\"urls\":[\"https://x.com/a\\u0000\"]}", "urls[0]");
            bad(server, token, "{\"urls\":[]} x", null);
            bad(server, token, "{\"urls\":[" + String.join(",", Collections.nCopies(201, "\"u\"")) + "]}", "urls");
        }
    }

    private static void bad(TestServer server, String token, String body, String field) {
        server.rawAs(token).body(body).post("/v1/lookup").then().statusCode(400).body("field", equalTo(field));
    }
}
