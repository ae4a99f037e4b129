package reciprocity.auth;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for accounts. */
@RegisterConstructorMapper(User.class)
public interface UserDao {
    @SqlUpdate("""
            insert into users (email, email_key, password_hash, display_name, created_at, updated_at)
            values (:email, lower(:email), :passwordHash, :displayName, :now, :now)
            on conflict (email_key) do nothing""")
    @GetGeneratedKeys("id")
    Optional<Long> insert(String email, String passwordHash, String displayName, Instant now);

    @SqlQuery("select * from users where email_key = lower(:email)")
    Optional<User> findByEmail(String email);

    @SqlQuery("select * from users where id = :id")
    Optional<User> findById(long id);

    @SqlQuery("select token_version from users where id = :id")
    Optional<Integer> tokenVersion(long id);

    @SqlUpdate("update users set password_hash = :passwordHash where id = :id")
    void updatePasswordHash(long id, String passwordHash);

    @SqlUpdate("""
            update users set password_hash = :passwordHash, token_version = token_version + 1, updated_at = :now
            where id = :id""")
    void changePassword(long id, String passwordHash, Instant now);

    @SqlUpdate("""
            update users set display_name = :displayName, timezone = :timezone, settings = cast(:settings as jsonb), updated_at = :now
            where id = :id""")
    void updateProfile(long id, String displayName, String timezone, String settings, Instant now);

    @SqlUpdate("delete from users where id = :id")
    int delete(long id);
}
