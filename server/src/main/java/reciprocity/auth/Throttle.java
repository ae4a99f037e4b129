package reciprocity.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import reciprocity.web.ApiProblem;

/**
 * A token bucket per key (a user, an account, a client address) held in PostgreSQL, so every server process on the
 * database draws from the same bucket. Made by {@link Throttles}.
 */
public final class Throttle {
    private final Jdbi jdbi;
    private final Clock clock;
    private final String scope;
    private final long capacity;
    private final long step;
    private final int batch;
    private final String message;
    // Tokens this process took from the shared bucket ahead of use; only when batch > 1.
    private final Cache<String, AtomicLong> leases;

    Throttle(Jdbi jdbi, Clock clock, String scope, long capacity, Duration period, int batch, String message) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.scope = scope;
        this.capacity = capacity;
        // Rounded up: the bucket refills at most at the configured rate and never holds more than `capacity` tokens.
        this.step = capacity > 0 ? Math.max(1, ceilDiv(micros(period), capacity)) : 1;
        this.batch = (int) Math.max(1, Math.min(batch, capacity));
        this.message = message;
        this.leases = Caffeine.newBuilder().expireAfterAccess(period).maximumSize(100_000).build();
    }

    public boolean enabled() {
        return capacity > 0;
    }

    /** Takes one token or throws 429 with Retry-After. */
    public void consume(String key) {
        if (!enabled()) return;
        AtomicLong lease = batch > 1 ? leases.getIfPresent(key) : null;
        if (lease != null && lease.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) return;
        long now = now();
        byte[] hashed = Secrets.sha256(key);
        Optional<Integer> granted = jdbi.withExtension(ThrottleDao.class, dao -> dao.take(scope, hashed, batch, capacity, step, now));
        if (granted.isEmpty()) throw tooManyRequests(hashed, now);
        if (granted.get() > 1) leases.get(key, k -> new AtomicLong()).addAndGet(granted.get() - 1);
    }

    /**
     * Returns one token taken by {@link #consume}, for an attempt that turned out not to count (a sign-in that
     * succeeded). Taking first and giving back after closes the gap a check-then-record would leave to parallel
     * attempts. Only for throttles that take one token at a time.
     */
    public void giveBack(String key) {
        if (!enabled()) return;
        if (batch > 1) throw new IllegalStateException("a leased throttle cannot tell a leased token from a taken one");
        byte[] hashed = Secrets.sha256(key);
        jdbi.useExtension(ThrottleDao.class, dao -> dao.giveBack(scope, hashed, step));
    }

    private ApiProblem tooManyRequests(byte[] hashed, long now) {
        long fullAt = jdbi.withExtension(ThrottleDao.class, dao -> dao.fullAt(scope, hashed)).orElse(now);
        return tooManyRequests(waitFor(fullAt, now));
    }

    private ApiProblem tooManyRequests(long waitMicros) {
        return ApiProblem.tooManyRequests(Math.max(1, TimeUnit.MICROSECONDS.toSeconds(waitMicros) + 1), message);
    }

    /** Microseconds until the bucket holds a token again; zero or less when it holds one now. */
    private long waitFor(long fullAt, long now) {
        return fullAt + step - (now + capacity * step);
    }

    private long now() {
        return micros(clock.instant());
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    private static long micros(Duration d) {
        return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1_000);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
