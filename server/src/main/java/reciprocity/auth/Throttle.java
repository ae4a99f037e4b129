package reciprocity.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reciprocity.web.ApiProblem;

/** A token bucket per key (a user, an account, a client address), kept in memory and forgotten when idle. */
public final class Throttle {
    private final long capacity;
    private final Duration period;
    private final String message;
    private final Cache<String, Bucket> buckets;

    /** {@code capacity} events per {@code period}, refilled smoothly; {@code capacity <= 0} turns it off. */
    public Throttle(long capacity, Duration period, String message) {
        this.capacity = capacity;
        this.period = period;
        this.message = message;
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(period.multipliedBy(2))
                .maximumSize(1_000_000)
                .build();
    }

    public boolean enabled() {
        return capacity > 0;
    }

    /** Takes one token or throws 429 with Retry-After. */
    public void consume(String key) {
        if (!enabled()) return;
        ConsumptionProbe probe = bucket(key).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw ApiProblem.tooManyRequests(seconds(probe.getNanosToWaitForRefill()), message);
        }
    }

    /** Throws 429 when the bucket is empty, without taking a token (failures are counted with {@link #consume}). */
    public void check(String key) {
        if (!enabled()) return;
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket == null) return;
        EstimationProbe probe = bucket.estimateAbilityToConsume(1);
        if (!probe.canBeConsumed()) {
            throw ApiProblem.tooManyRequests(seconds(probe.getNanosToWaitForRefill()), message);
        }
    }

    /** Records one event without failing; the next {@link #check} sees it. */
    public void record(String key) {
        if (!enabled()) return;
        bucket(key).tryConsume(1);
    }

    private Bucket bucket(String key) {
        return buckets.get(key, k -> Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, period))
                .build());
    }

    private static long seconds(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos) + 1);
    }
}
