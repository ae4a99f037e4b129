package reciprocity.web;

import java.util.List;
import java.util.function.ToLongFunction;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Keyset pages over one of the user's tables, newest first by id, with signed cursors. */
public final class Pages {
    private Pages() {}

    /** {@code table} is a constant of the caller's, never input. */
    public static <T> Page<T> newestFirst(Jdbi jdbi, Cursors cursors, long userId, String table, String cursor, int limit,
                                          RowMapper<T> mapper, ToLongFunction<T> idOf) {
        Long after = cursor == null ? null : Long.parseLong(cursors.decode(userId, table, cursor, 1).get(0));
        List<T> rows = jdbi.withHandle(h -> h.createQuery("select * from " + table
                        + " where user_id = :u and (cast(:after as bigint) is null or id < :after) order by id desc limit :limit")
                .bind("u", userId).bind("after", after).bind("limit", limit + 1).map(mapper).list());
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            next = cursors.encode(userId, table, List.of(Long.toString(idOf.applyAsLong(rows.get(limit - 1)))));
        }
        return new Page<>(rows, next);
    }
}
