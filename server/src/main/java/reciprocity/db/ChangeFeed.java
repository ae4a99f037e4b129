package reciprocity.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells in-memory caches when a user's data changed, in this process or any other on the same database: triggers (and,
 * for the interactions and obligations the ledger inserts, its user lock: Ledger.lockUser) NOTIFY the user's id on
 * commit, and a listener thread bumps that user's generation. A cache entry is valid while the
 * {@link Stamp} it was loaded under still matches. When the listening connection drops, notifications may have been
 * missed, so everything is invalidated until it is back.
 */
public final class ChangeFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
    public static final String CHANNEL = "reciprocity_user";

    /** The version of one user's data a cached value was built from. */
    public record Stamp(long epoch, long generation) {}

    private final ConcurrentHashMap<Long, Long> generations = new ConcurrentHashMap<>();
    private final AtomicLong epoch = new AtomicLong();
    private volatile boolean listening;
    private volatile boolean closed;
    private final Thread listener;
    private final String jdbcUrl;
    private final Properties credentials = new Properties();

    public ChangeFeed(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        if (user != null) credentials.setProperty("user", user);
        if (password != null) credentials.setProperty("password", password);
        credentials.setProperty("connectTimeout", "3");
        credentials.setProperty("tcpKeepAlive", "true");
        this.listener = new Thread(this::listen, "reciprocity-change-feed");
        listener.setDaemon(true);
        listener.start();
    }

    /** A feed with no database behind it: only local changes count (for tools and tests). */
    public static ChangeFeed localOnly() {
        return new ChangeFeed(null, null, null);
    }

    public Stamp stamp(long userId) {
        return new Stamp(epoch.get(), generations.getOrDefault(userId, 0L));
    }

    /** True while a value built under {@code stamp} may still be served; never while the listener is down. */
    public boolean isCurrent(long userId, Stamp stamp) {
        return (listening || jdbcUrl == null) && stamp.equals(stamp(userId));
    }

    public void changed(long userId) {
        generations.merge(userId, 1L, Long::sum);
    }

    public void changedAll() {
        epoch.incrementAndGet();
    }

    private void listen() {
        if (jdbcUrl == null) return;
        long backoff = 100;
        while (!closed) {
            try (Connection c = DriverManager.getConnection(jdbcUrl, credentials)) {
                try (Statement s = c.createStatement()) {
                    s.execute("listen " + CHANNEL);
                }
                // Anything may have changed while we were not listening.
                changedAll();
                listening = true;
                backoff = 100;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notes = pg.getNotifications(500);
                    if (notes == null) continue;
                    for (PGNotification n : notes) {
                        try {
                            changed(Long.parseLong(n.getParameter()));
                        } catch (NumberFormatException e) {
                            changedAll();
                        }
                    }
                }
            } catch (SQLException e) {
                if (listening) LOG.warn("change feed lost its connection; caches are bypassed until it is back: {}", e.getMessage());
            } finally {
                listening = false;
                changedAll();
            }
            if (closed) break;
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(2_000, backoff * 2);
        }
    }

    public boolean listening() {
        return listening;
    }

    @Override
    public void close() {
        closed = true;
        listener.interrupt();
    }
}
