package reciprocity.lookup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import reciprocity.account.AccountService;
import reciprocity.db.ChangeFeed;

/**
 * Each active user's ledger held in memory, packed ({@link PackedLedger}), so the lookup the extension makes on every
 * page costs no database round trip. A user's copy is loaded in one consistent snapshot and served while
 * {@link ChangeFeed} says nothing of theirs has changed, in this process or any other; summaries are computed from it
 * at the current time, so overdue replies and expiring windows need no invalidation. Summaries a ledger keeps once
 * written share one budget, a quarter of the heap, and are given back when the ledger is replaced or evicted.
 */
public final class ReadModel {
    private final Jdbi jdbi;
    private final AccountService accounts;
    private final ChangeFeed feed;
    private final Clock clock;
    private final ByteBudget summaryBudget = new ByteBudget(Runtime.getRuntime().maxMemory() / 4);
    private final Cache<Long, PackedLedger> ledgers = Caffeine.newBuilder()
            .maximumSize(5_000)
            .expireAfterAccess(Duration.ofMinutes(15))
            .removalListener((Long userId, PackedLedger ledger, RemovalCause cause) -> {
                if (ledger != null) ledger.drop();
            })
            .build();
    private final Cache<Long, ReentrantLock> loading = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(15))
            .build();

    public ReadModel(Jdbi jdbi, AccountService accounts, ChangeFeed feed, Clock clock) {
        this.jdbi = jdbi;
        this.accounts = accounts;
        this.feed = feed;
        this.clock = clock;
    }

    /** The user's ledger as of now (loading it when it is missing or stale). */
    public PackedLedger ledger(long userId) {
        PackedLedger l = ledgers.getIfPresent(userId);
        if (l != null && feed.isCurrent(userId, l.stamp)) return l;
        // One load per user at a time: concurrent lookups of a cold user wait for it instead of repeating it.
        ReentrantLock lock = loading.get(userId, k -> new ReentrantLock());
        lock.lock();
        try {
            l = ledgers.getIfPresent(userId);
            if (l != null && feed.isCurrent(userId, l.stamp)) return l;
            return load(userId);
        } finally {
            lock.unlock();
        }
    }

    private PackedLedger load(long userId) {
        // The stamp is taken before reading: a change committed during the load makes the copy stale at once.
        ChangeFeed.Stamp stamp = feed.stamp(userId);
        PackedLedger loaded = jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ,
                h -> PackedLedger.load(h, userId, stamp, accounts.settings(h, userId), clock.instant(),
                        summaryBudget));
        ledgers.put(userId, loaded);
        return loaded;
    }
}
