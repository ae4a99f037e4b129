package reciprocity.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicInteger;
import reciprocity.db.Database;

/** One real embedded PostgreSQL per test JVM; every test server gets a fresh database in it, migrated by the app's own files. */
public final class TestDatabases {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestDatabases() {}

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                Path dir = Files.createTempDirectory("reciprocity-test-pg");
                server = Database.startEmbedded(dir.resolve("data"));
                // The cluster (~700 MB after a full run) goes with the test JVM, or every run would leave one in /tmp.
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.close();
                    } catch (IOException ignored) {
                        // the JVM is going away
                    }
                    deleteTree(dir);
                }));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // what is left stays in the temporary directory
        }
    }

    /** A new, empty, migrated database. */
    public static Database fresh() {
        String name = "t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        EmbeddedPostgres pg = server();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (Exception e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return Database.connect(pg.getJdbcUrl("postgres", name), "postgres", null, null);
    }
}
