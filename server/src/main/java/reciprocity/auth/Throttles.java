package reciprocity.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The shared throttle table: makes the throttles over it and now and then deletes rows whose buckets are full again. */
public final class Throttles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Throttles.class);
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(10);
    // A row goes only well after its bucket filled up, so a process whose clock lags another's still finds it.
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final Jdbi jdbi;
    private final Clock clock;
    private final ScheduledExecutorService sweeper;

    public Throttles(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reciprocity-throttle-sweep");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, SWEEP_EVERY.toSeconds(), SWEEP_EVERY.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * {@code capacity} events per {@code period} per key, refilled smoothly, counted exactly across processes: every
     * event is one upsert. {@code capacity <= 0} turns it off.
     */
    public Throttle exact(String scope, long capacity, Duration period, String message) {
        return new Throttle(jdbi, clock, scope, capacity, period, 1, message);
    }

    /**
     * Like {@link #exact}, for limits checked on every request: a process takes up to {@code batch} tokens at once
     * from the shared bucket and spends them from memory, so only one request in {@code batch} writes. No more than
     * {@code capacity} tokens are ever handed out per period; a key may burst by at most {@code batch - 1} tokens per
     * process that still holds some from earlier.
     */
    public Throttle leased(String scope, long capacity, Duration period, int batch, String message) {
        return new Throttle(jdbi, clock, scope, capacity, period, batch, message);
    }

    /** Deletes the rows that mean the same as no row; returns how many. */
    public int sweep() {
        long before = (clock.instant().minus(CLOCK_SKEW).toEpochMilli()) * 1_000L;
        return jdbi.withExtension(ThrottleDao.class, dao -> dao.deleteFull(before));
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("Could not sweep the throttle table; will try again", e);
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
