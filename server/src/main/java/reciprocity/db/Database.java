package reciprocity.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import reciprocity.Config;

/** The connection pool, the migrated schema and Jdbi over them; owns the embedded PostgreSQL when there is one. */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final EmbeddedPostgres embedded;

    private Database(HikariDataSource dataSource, EmbeddedPostgres embedded) {
        this.dataSource = dataSource;
        this.embedded = embedded;
        this.jdbi = Jdbi.create(dataSource)
                .installPlugin(new SqlObjectPlugin())
                .installPlugin(new PostgresPlugin());
    }

    /** Uses DATABASE_URL when set; otherwise starts (or reopens) the embedded server under RECIPROCITY_HOME. */
    public static Database open(Config config) {
        if (config.database().isPresent()) {
            Config.Database db = config.database().get();
            return connect(db.jdbcUrl(), db.user(), db.password(), null);
        }
        EmbeddedPostgres pg = startEmbedded(config.home().resolve("pgdata"));
        return connect(pg.getJdbcUrl("postgres", "postgres"), "postgres", null, pg);
    }

    public static EmbeddedPostgres startEmbedded(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory.getParent());
            return embedded(dataDirectory).setCleanDataDirectory(false).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /**
     * The embedded PostgreSQL as the server runs it (the benchmark starts the same). zonky's builder is made for tests
     * and turns {@code fsync} and {@code synchronous_commit} off, so a crash of the machine could lose acknowledged
     * writes or leave the cluster unreadable; a ledger keeps PostgreSQL's durable defaults: a write the API has
     * answered is on disk.
     */
    public static EmbeddedPostgres.Builder embedded(Path dataDirectory) {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setPGStartupWait(Duration.ofSeconds(60));
    }

    /** Opens a pool on the given server and migrates it; `embedded`, when given, is closed with the pool. */
    public static Database connect(String jdbcUrl, String user, String password, EmbeddedPostgres embedded) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(jdbcUrl);
        if (user != null) hc.setUsername(user);
        if (password != null) hc.setPassword(password);
        hc.setPoolName("reciprocity");
        hc.setMaximumPoolSize(10);
        // While the database is down a request waits at most ~3 s for a connection, then gets a 503.
        hc.setConnectionTimeout(3_000);
        hc.setValidationTimeout(1_000);
        hc.setKeepaliveTime(30_000);
        hc.addDataSourceProperty("connectTimeout", "3");
        hc.addDataSourceProperty("socketTimeout", "60");
        hc.addDataSourceProperty("tcpKeepAlive", "true");
        hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        HikariDataSource ds = new HikariDataSource(hc);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return new Database(ds, embedded);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public HikariDataSource pool() {
        return dataSource;
    }

    /** True when a connection can be had and answers within a second. */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
