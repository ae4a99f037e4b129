package reciprocity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reciprocity.Config;
import reciprocity.auth.SigningKeys;
import reciprocity.db.Database;
import reciprocity.support.MutableClock;
import reciprocity.support.TestDatabases;
import reciprocity.support.TestServer;

/** The jar's commands, run in-process against the database of a running test server. */
class CliTest {
    static TestServer server;
    static Map<String, String> env;
    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        Database db = TestDatabases.fresh();
        server = TestServer.start(new Config(0, home, java.util.Optional.empty(), java.util.Optional.empty(), true, 0, false, 10, 1_000_000),
                SigningKeys.random(), db, MutableClock.atNow());
        env = Map.of("RECIPROCITY_HOME", home.toString(), "DATABASE_URL", db.pool().getJdbcUrl(), "DATABASE_USER", "postgres");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Run(int code, String out, String err) {}

    static Run cli(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Cli.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void import_writes_straight_into_the_database_with_a_progress_bar_and_a_second_run_creates_nothing() throws Exception {
        TestServer.Session s = server.registerLongLived();
        Path file = home.resolve("people.csv");
        StringBuilder csv = new StringBuilder("platform,handle,direction,kind,occurredAt,externalId\n");
        for (int i = 0; i < 2500; i++) csv.append("x,cli").append(i % 10).append(",inbound,comment,2025-01-01T00:00:00Z,cli-").append(i).append('\n');
        csv.append("x,cli1,inbound,comment,someday,cli-bad\n");
        Files.writeString(file, csv);

        Run first = cli(env, "import", file.toString(), "--format", "csv", "--user", s.email());
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("done: 2,500 created, 0 duplicates, 1 errors"), first.out());
        assertTrue(first.err().contains("100%") && first.err().contains("ETA") && first.err().contains("/s"), first.err());
        assertTrue(first.err().contains("unparseable date `someday`"), first.err());
        assertTrue(Files.exists(file), "the CLI leaves the user's file alone");
        server.as(s.accessToken()).get("/v1/imports").then().statusCode(200)
                .body("items[0].state", org.hamcrest.Matchers.equalTo("done"))
                .body("items[0].created", org.hamcrest.Matchers.equalTo(2500));

        Run second = cli(env, "import", file.toString(), "--format", "csv", "--user", s.email());
        assertEquals(0, second.code());
        assertTrue(second.out().contains("done: 0 created, 2,500 duplicates"), second.out());
    }

    @Test
    void token_create_prints_a_working_token_once_and_export_writes_the_document() throws Exception {
        TestServer.Session s = server.registerLongLived();
        Run token = cli(env, "token", "create", "--user", s.email(), "--scopes", "read,write", "--name", "laptop", "--days", "7");
        assertEquals(0, token.code(), token.err());
        String pat = token.out().strip();
        server.as(pat).get("/v1/me").then().statusCode(200).body("email", org.hamcrest.Matchers.equalTo(s.email()));

        Path out = home.resolve("export.json");
        Run export = cli(env, "export", "--user", s.email(), "--out", out.toString());
        assertEquals(0, export.code(), export.err());
        assertTrue(Files.readString(out).startsWith("{\"format\":\"reciprocity-export\""), Files.readString(out));
    }

    @Test
    void migrate_reports_the_schema_version_and_mistakes_exit_non_zero_with_one_line() {
        Run migrate = cli(env, "migrate");
        assertEquals(0, migrate.code(), migrate.err());
        assertTrue(migrate.out().startsWith("The database is at schema version "), migrate.out());

        Run badConfig = cli(Map.of("PORT", "not-a-port"), "migrate");
        assertEquals(2, badConfig.code());
        assertEquals("reciprocity: PORT: must be a whole number, not `not-a-port`", badConfig.err().strip());

        Run nobody = cli(env, "token", "create", "--user", "nobody@example.com", "--scopes", "read");
        assertEquals(1, nobody.code());
        assertEquals(List.of("reciprocity: no account with the email nobody@example.com"), nobody.err().strip().lines().toList());

        Run format = cli(env, "import", "x.csv", "--format", "docx", "--user", "a@example.com");
        assertEquals(1, format.code());
        assertTrue(format.err().startsWith("reciprocity: --format must be one of"), format.err());
    }
}
