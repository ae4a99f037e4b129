package reciprocity.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.response.Response;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reciprocity.Config;
import reciprocity.db.Database;
import reciprocity.support.TestServer;

/** Two server processes on one database: what is written through one shows through the other's in-memory read model. */
class TwoServersTest {

    @Test
    void a_write_through_one_server_changes_the_badge_seen_through_the_other_within_a_second() throws Exception {
        try (TestServer a = TestServer.start()) {
            Database second = Database.connect(a.database.pool().getJdbcUrl(), "postgres", null, null);
            Config config = new Config(0, Path.of(System.getProperty("java.io.tmpdir")), Optional.empty(), Optional.empty(),
                    true, 0, false, 10, 1000);
            try (TestServer b = TestServer.start(config, a.keys, second, a.clock)) {
                TestServer.Session s = a.registerLongLived();
                // B loads (and caches) the user's empty ledger first.
                b.as(s.accessToken()).queryParam("url", "https://x.com/zoe").get("/v1/lookup").then().statusCode(200);
                a.as(s.accessToken()).header("Idempotency-Key", UUID.randomUUID().toString())
                        .body(Map.of("person", Map.of("url", "https://x.com/zoe"), "direction", "inbound", "kind", "comment"))
                        .post("/v1/interactions").then().statusCode(201);
                long start = System.nanoTime();
                Object badge = null;
                while (System.nanoTime() - start < 1_000_000_000L) {
                    Response r = b.as(s.accessToken()).queryParam("url", "https://x.com/zoe").get("/v1/lookup");
                    badge = r.path("person.badge.text");
                    if ("1".equals(badge)) break;
                    Thread.sleep(20);
                }
                assertEquals("1", badge, "server B still shows the old badge a second after the write through A");
                // A personal access token revoked through A stops working on B (which had it cached) within a second.
                TestServer.Session owner = a.register();
                Response created = a.as(owner.accessToken()).body(Map.of("name", "x", "scopes", java.util.List.of("read")))
                        .post("/v1/tokens");
                String pat = created.path("token");
                b.as(pat).get("/v1/me").then().statusCode(200);
                a.as(owner.accessToken()).delete("/v1/tokens/" + created.path("id")).then().statusCode(204);
                long revoked = System.nanoTime();
                int status = 200;
                while (status == 200 && System.nanoTime() - revoked < 1_000_000_000L) {
                    status = b.raw().header("Authorization", "Bearer " + pat).get("/v1/me").statusCode();
                    if (status == 200) Thread.sleep(20);
                }
                assertEquals(401, status, "server B still accepts a revoked token a second later");
            }
        }
    }
}
