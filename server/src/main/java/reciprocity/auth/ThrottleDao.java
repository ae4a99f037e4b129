package reciprocity.auth;

import java.util.Optional;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for the shared token buckets; times and steps are microseconds, a step being the time one token takes to refill. */
public interface ThrottleDao {
    /**
     * Takes up to {@code batch} tokens from a bucket of {@code capacity}, as many as it holds; empty when it holds none.
     * One statement, so concurrent callers on any process serialise on the row and never take more than there is.
     */
    @SqlQuery("""
            insert into throttles as t (scope, key, full_at, granted)
            values (:scope, :key, :now + :batch * :step, :batch)
            on conflict (scope, key) do update
            set full_at = greatest(t.full_at, :now)
                          + least(:batch, (:now + :capacity * :step - greatest(t.full_at, :now)) / :step) * :step,
                granted = least(:batch, (:now + :capacity * :step - greatest(t.full_at, :now)) / :step)
            where greatest(t.full_at, :now) + :step <= :now + :capacity * :step
            returning granted""")
    Optional<Integer> take(String scope, byte[] key, int batch, long capacity, long step, long now);

    /** Puts one token back; a bucket whose `full_at` falls into the past by it is simply full. */
    @SqlUpdate("update throttles set full_at = full_at - :step where scope = :scope and key = :key")
    void giveBack(String scope, byte[] key, long step);

    /** When the bucket is full again; empty for a full bucket. */
    @SqlQuery("select full_at from throttles where scope = :scope and key = :key")
    Optional<Long> fullAt(String scope, byte[] key);

    /** Drops rows whose buckets were full again before {@code before}: they mean the same as no row. */
    @SqlUpdate("delete from throttles where full_at < :before")
    int deleteFull(long before);
}
