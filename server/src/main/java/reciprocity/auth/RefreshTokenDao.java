package reciprocity.auth;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for refresh tokens: stored as hashes, used once, revoked by family. */
@RegisterConstructorMapper(RefreshTokenDao.Spent.class)
public interface RefreshTokenDao {
    /** The owner and family of a token that was just marked used. */
    record Spent(long userId, UUID familyId) {}

    @SqlUpdate("""
            insert into refresh_tokens (user_id, family_id, token_hash, created_at, expires_at)
            values (:userId, :familyId, :tokenHash, :now, :expiresAt)""")
    void insert(long userId, UUID familyId, byte[] tokenHash, Instant now, Instant expiresAt);

    /** Marks a live token used; at most one of several concurrent calls gets a row back. */
    @SqlQuery("""
            update refresh_tokens set used_at = :now
            where token_hash = :tokenHash and used_at is null and revoked_at is null and expires_at > :now
            returning user_id, family_id""")
    Optional<Spent> spend(byte[] tokenHash, Instant now);

    @SqlQuery("select family_id from refresh_tokens where token_hash = :tokenHash")
    Optional<UUID> familyOf(byte[] tokenHash);

    @SqlUpdate("update refresh_tokens set revoked_at = :now where family_id = :familyId and revoked_at is null")
    void revokeFamily(UUID familyId, Instant now);

    @SqlUpdate("update refresh_tokens set revoked_at = :now where user_id = :userId and revoked_at is null")
    void revokeAllOf(long userId, Instant now);

    @SqlUpdate("delete from refresh_tokens where expires_at < :before")
    int deleteExpired(Instant before);
}
