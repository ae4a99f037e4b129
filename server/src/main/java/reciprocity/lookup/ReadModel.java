package reciprocity.lookup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import reciprocity.account.AccountService;
import reciprocity.account.Settings;
import reciprocity.db.ChangeFeed;
import reciprocity.ledger.ContactState;
import reciprocity.ledger.Ledger;

/**
 * Each active user's ledger held in memory, so the lookup the extension makes on every page costs no database round
 * trip. A user's copy is loaded in one consistent snapshot and served while {@link ChangeFeed} says nothing of theirs
 * has changed, in this process or any other; summaries are computed from it at the current time, so overdue replies
 * and expiring windows need no invalidation.
 */
public final class ReadModel {
    /** One user's ledger: their settings, their own handles, their people by handle, and each person's state. */
    public record UserView(ChangeFeed.Stamp stamp, Settings settings, Set<String> identities, Map<String, Long> contactByKey,
                           Map<Long, ContactState> contacts) {}

    private final Jdbi jdbi;
    private final AccountService accounts;
    private final Ledger ledger;
    private final ChangeFeed feed;
    private final Clock clock;
    private final Cache<Long, UserView> views = Caffeine.newBuilder()
            .maximumSize(5_000)
            .expireAfterAccess(Duration.ofMinutes(15))
            .build();
    private final Cache<Long, java.util.concurrent.locks.ReentrantLock> loading = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(15))
            .build();

    public ReadModel(Jdbi jdbi, AccountService accounts, Ledger ledger, ChangeFeed feed, Clock clock) {
        this.jdbi = jdbi;
        this.accounts = accounts;
        this.ledger = ledger;
        this.feed = feed;
        this.clock = clock;
    }

    public UserView view(long userId) {
        UserView v = views.getIfPresent(userId);
        if (v != null && feed.isCurrent(userId, v.stamp())) return v;
        // One load per user at a time: concurrent lookups of a cold user wait for it instead of repeating it.
        java.util.concurrent.locks.ReentrantLock lock = loading.get(userId, k -> new java.util.concurrent.locks.ReentrantLock());
        lock.lock();
        try {
            v = views.getIfPresent(userId);
            if (v != null && feed.isCurrent(userId, v.stamp())) return v;
            return load(userId);
        } finally {
            lock.unlock();
        }
    }

    private UserView load(long userId) {
        // The stamp is taken before reading: a change committed during the load makes the copy stale at once.
        ChangeFeed.Stamp stamp = feed.stamp(userId);
        Instant now = clock.instant();
        UserView loaded = jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            Settings settings = accounts.settings(h, userId);
            Set<String> identities = new HashSet<>(h.createQuery("select platform || ' ' || handle from identities where user_id = :u")
                    .bind("u", userId).mapTo(String.class).list());
            Map<String, Long> byKey = new HashMap<>();
            h.createQuery("select platform || ' ' || handle k, contact_id from handles where user_id = :u").bind("u", userId)
                    .map((rs, ctx) -> byKey.put(rs.getString("k"), rs.getLong("contact_id"))).list();
            return new UserView(stamp, settings, identities, byKey, ledger.loadStates(h, userId, null, now));
        });
        views.put(userId, loaded);
        return loaded;
    }
}
