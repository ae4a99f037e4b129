package reciprocity.tokens;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for personal access tokens; every query is scoped to the owner. */
@RegisterConstructorMapper(Pat.class)
@RegisterConstructorMapper(PatDao.Active.class)
public interface PatDao {
    /** A live token found by its hash: who it acts for and what it may do. */
    record Active(long id, long userId, List<String> scopes, Instant lastUsedAt, Instant expiresAt) {}

    @SqlUpdate("""
            insert into personal_access_tokens (user_id, name, prefix, token_hash, scopes, created_at, expires_at)
            values (:userId, :name, :prefix, :tokenHash, :scopes, :now, :expiresAt)""")
    @GetGeneratedKeys("id")
    long insert(long userId, String name, String prefix, byte[] tokenHash, String[] scopes, Instant now, Instant expiresAt);

    @SqlQuery("""
            select id, name, prefix, scopes, created_at, last_used_at, expires_at from personal_access_tokens
            where user_id = :userId and revoked_at is null and expires_at > :now order by id""")
    List<Pat> list(long userId, Instant now);

    @SqlUpdate("update personal_access_tokens set revoked_at = :now where user_id = :userId and id = :id and revoked_at is null")
    int revoke(long userId, long id, Instant now);

    @SqlQuery("""
            select id, user_id, scopes, last_used_at, expires_at from personal_access_tokens
            where token_hash = :tokenHash and revoked_at is null and expires_at > :now""")
    Optional<Active> findActive(byte[] tokenHash, Instant now);

    @SqlUpdate("update personal_access_tokens set last_used_at = :now where id = :id")
    void touch(long id, Instant now);
}
