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
import reciprocity.auth.Secrets;

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
        Path data = config.home().resolve("pgdata");
        String password = secret(config.home().resolve(SECRET_FILE));
        EmbeddedPostgres pg = start(embedded(data).setConnectConfig("password", password), data);
        try {
            requirePassword(pg, data, password);
        } catch (RuntimeException e) {
            closeQuietly(pg);
            throw e;
        }
        return connect(pg.getJdbcUrl("postgres", "postgres"), "postgres", password, pg);
    }

    /** The embedded database's password, in RECIPROCITY_HOME (mode 0600). */
    public static final String SECRET_FILE = "pgdata.secret";

    /** Only these lines: every connection, over TCP (127.0.0.1 only) or the Unix socket, must give the password. */
    private static final String HBA = """
            # Written by Reciprocity: every connection needs the password in RECIPROCITY_HOME/pgdata.secret.
            local all all scram-sha-256
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256
            """;

    /**
     * zonky's initdb lets any local connection in as the superuser without a password (trust), and a superuser can run
     * programs as this process's user ({@code COPY ... TO PROGRAM}): on a shared machine, anyone could read the ledgers
     * or act as whoever runs the server. On the first start (or the first since this was added) the superuser gets the
     * password from RECIPROCITY_HOME and the cluster stops trusting anyone without it.
     */
    private static void requirePassword(EmbeddedPostgres pg, Path data, String password) {
        Path hba = data.resolve("pg_hba.conf");
        try {
            if (HBA.equals(Files.readString(hba))) return;
            try (Connection c = pg.getPostgresDatabase().getConnection(); java.sql.Statement s = c.createStatement()) {
                // The password is base64url: no quote can end the literal.
                s.execute("alter role postgres password '" + password + "'");
                Files.writeString(hba, HBA);
                s.execute("select pg_reload_conf()");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + hba, e);
        } catch (SQLException e) {
            throw new IllegalStateException("could not set the embedded database's password: " + e.getMessage(), e);
        }
    }

    /** The password in {@code file}, created once (256 random bits, base64url, mode 0600). */
    private static String secret(Path file) {
        try {
            Secrets.writeOnce(file, Secrets.randomToken() + "\n");
            String password = Files.readString(file).strip();
            if (!password.matches("[A-Za-z0-9_-]{20,}")) throw new IllegalStateException(file + " must hold the embedded database's password (base64url)");
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    public static EmbeddedPostgres startEmbedded(Path dataDirectory) {
        return start(embedded(dataDirectory), dataDirectory);
    }

    /** Starts {@code builder} on {@code dataDirectory}, keeping what is there. */
    private static EmbeddedPostgres start(EmbeddedPostgres.Builder builder, Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory.getParent());
            return builder.setCleanDataDirectory(false).start();
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
