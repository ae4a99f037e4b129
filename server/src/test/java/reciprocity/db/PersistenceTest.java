package reciprocity.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reciprocity.Config;
import reciprocity.auth.SigningKeys;
import reciprocity.support.MutableClock;
import reciprocity.support.TestServer;

/** The zero-configuration run keeps its data (durably) and its signing key in RECIPROCITY_HOME across restarts. */
class PersistenceTest {

    @Test
    void a_second_start_on_the_same_home_finds_the_same_accounts_and_accepts_the_same_tokens(@TempDir Path home) throws Exception {
        Config config = Config.from(Map.of("RECIPROCITY_HOME", home.toString(), "PORT", "0"));
        TestServer.Session session;
        try (TestServer first = TestServer.start(config, SigningKeys.load(Optional.empty(), home), Database.open(config), MutableClock.atNow())) {
            session = first.register("persist@example.com", "persistent password");
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(SigningKeys.FILE_NAME))));
        try (TestServer second = TestServer.start(config, SigningKeys.load(Optional.empty(), home), Database.open(config), MutableClock.atNow())) {
            // The embedded database flushes a commit to disk before it is acknowledged (zonky's test defaults do not).
            Map<String, Object> durability = second.database.jdbi().withHandle(h -> h.createQuery(
                    "select current_setting('fsync') fsync, current_setting('synchronous_commit') sync, current_setting('full_page_writes') fpw")
                    .mapToMap().one());
            assertEquals(Map.of("fsync", "on", "sync", "on", "fpw", "on"), durability);
            second.as(session.accessToken()).get("/v1/me").then().statusCode(200);
            second.api().body(Map.of("email", "persist@example.com", "password", "persistent password")).post("/v1/auth/login")
                    .then().statusCode(200);
        }
    }
}
