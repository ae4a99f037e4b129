package reciprocity.system;

import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reciprocity.Config;
import reciprocity.auth.SigningKeys;
import reciprocity.db.Database;
import reciprocity.support.MutableClock;
import reciprocity.support.TestServer;

/** With the database gone, readiness and data calls answer 503 with Retry-After quickly, and the server recovers by itself. */
class ReadinessTest {

    @Test
    void database_outage_gives_503_within_seconds_and_the_server_recovers(@TempDir Path dir) throws Exception {
        EmbeddedPostgres pg = Database.startEmbedded(dir.resolve("data"));
        int port = pg.getPort();
        Database db = Database.connect(pg.getJdbcUrl("postgres", "postgres"), "postgres", null, null);
        Config config = new Config(0, dir, Optional.empty(), Optional.empty(), true, 0, false, 10, 1000);
        try (TestServer server = TestServer.start(config, SigningKeys.random(), db, MutableClock.atNow())) {
            TestServer.Session s = server.register();
            server.api().get("/health/ready").then().statusCode(200);

            pg.close();
            long started = System.nanoTime();
            server.api().get("/health/ready").then().statusCode(503).header("Retry-After", notNullValue());
            server.as(s.accessToken()).get("/v1/me").then().statusCode(503).header("Retry-After", notNullValue());
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            assertTrue(seconds <= 12, "took " + seconds + " s to answer 503 twice");

            EmbeddedPostgres again = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("data")).setCleanDataDirectory(false)
                    .setPort(port).start();
            try {
                int status = 0;
                for (int i = 0; i < 50 && status != 200; i++) {
                    status = server.raw().get("/health/ready").statusCode();
                    if (status != 200) Thread.sleep(200);
                }
                assertEquals(200, status);
                server.as(s.accessToken()).get("/v1/me").then().statusCode(200);
            } finally {
                server.close();
                again.close();
            }
        }
    }
}
