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

/** The zero-configuration run keeps its data (durably, behind a password) and its signing key in RECIPROCITY_HOME across restarts. */
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
            // Nobody else on the machine gets in: no connection without the password kept in RECIPROCITY_HOME (0600).
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(Database.SECRET_FILE))));
            String url = second.database.pool().getJdbcUrl();
            for (String password : new String[] {null, "", "postgres"}) {
                java.util.Properties props = new java.util.Properties();
                props.setProperty("user", "postgres");
                if (password != null) props.setProperty("password", password);
                java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                        () -> java.sql.DriverManager.getConnection(url, props).close(), "the embedded database let in a connection with password " + password);
                // 28P01: wrong password; 08004: the server asked for one and the driver had none to give.
                org.junit.jupiter.api.Assertions.assertTrue(java.util.Set.of("28P01", "08004").contains(refused.getSQLState()),
                        "not refused for want of the password: " + refused.getSQLState() + " " + refused.getMessage());
            }
            second.as(session.accessToken()).get("/v1/me").then().statusCode(200);
            second.api().body(Map.of("email", "persist@example.com", "password", "persistent password")).post("/v1/auth/login")
                    .then().statusCode(200);
        }
    }
}
