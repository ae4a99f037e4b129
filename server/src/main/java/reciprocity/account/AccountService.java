package reciprocity.account;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import org.jdbi.v3.core.Jdbi;
import reciprocity.auth.AuthService;
import reciprocity.auth.Passwords;
import reciprocity.auth.RefreshTokenDao;
import reciprocity.auth.TokenPair;
import reciprocity.auth.User;
import reciprocity.auth.UserDao;
import reciprocity.ledger.Ledger;
import reciprocity.web.ApiProblem;

/** The signed-in user's own account: profile, settings, password and deletion. */
public final class AccountService {
    /** Told when a user's settings change, so the ledger can be recomputed. */
    public interface SettingsListener {
        void settingsChanged(org.jdbi.v3.core.Handle handle, long userId, Settings settings);
    }

    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final Clock clock;
    private final AuthService auth;
    private volatile SettingsListener settingsListener = (h, u, s) -> {};

    public AccountService(Jdbi jdbi, ObjectMapper json, Clock clock, AuthService auth) {
        this.jdbi = jdbi;
        this.json = json;
        this.clock = clock;
        this.auth = auth;
    }

    public void onSettingsChanged(SettingsListener listener) {
        this.settingsListener = listener;
    }

    public Me get(long userId) {
        return jdbi.withExtension(UserDao.class, dao -> dao.findById(userId)).map(this::toMe)
                .orElseThrow(() -> ApiProblem.notFound("The account"));
    }

    public Settings settings(long userId) {
        return jdbi.withHandle(h -> settings(h, userId));
    }

    /** The user's settings, read in the caller's transaction (a plain query: this runs on every write). */
    public Settings settings(org.jdbi.v3.core.Handle h, long userId) {
        return h.createQuery("select settings::text from users where id = :u").bind("u", userId).mapTo(String.class).findOne()
                .map(this::parse).orElseThrow(() -> ApiProblem.notFound("The account"));
    }

    public Me update(long userId, Me.Patch patch) {
        if (patch == null) throw ApiProblem.badRequest(null, "Send a JSON object with displayName, timezone or settings");
        String name = patch.displayName() == null ? null : AuthService.checkDisplayName(patch.displayName());
        String zone = patch.timezone() == null ? null : checkZone(patch.timezone());
        return jdbi.inTransaction(h -> {
            UserDao users = h.attach(UserDao.class);
            User user = users.findById(userId).orElseThrow(() -> ApiProblem.notFound("The account"));
            Settings before = parse(user.settings());
            Settings after = before.apply(patch.settings());
            users.updateProfile(userId, name == null ? user.displayName() : name, zone == null ? user.timezone() : zone,
                    write(after), clock.instant());
            if (!after.equals(before)) settingsListener.settingsChanged(h, userId, after);
            return toMe(users.findById(userId).orElseThrow());
        });
    }

    /** Changes the password, revokes every refresh token and invalidates older access tokens; returns a new session. */
    public TokenPair changePassword(long userId, Me.PasswordChange change) {
        if (change == null || change.currentPassword() == null) throw ApiProblem.badRequest("currentPassword", "currentPassword is required");
        Passwords.checkStrength("newPassword", change.newPassword());
        Passwords passwords = auth.passwords();
        User user = jdbi.withExtension(UserDao.class, dao -> dao.findById(userId)).orElseThrow(() -> ApiProblem.notFound("The account"));
        if (!passwords.verify(change.currentPassword(), user.passwordHash())) {
            throw ApiProblem.forbidden("currentPassword is wrong");
        }
        String hash = passwords.hash(change.newPassword());
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            h.attach(UserDao.class).changePassword(userId, hash, now);
            h.attach(RefreshTokenDao.class).revokeAllOf(userId, now);
        });
        return auth.issueFor(userId, user.tokenVersion() + 1);
    }

    /**
     * Deletes the account; every table holding user data cascades from users. The ledger lock is taken first, as for
     * deleting one person, so no ledger write of this user's is under way.
     */
    public void delete(long userId) {
        int deleted = jdbi.inTransaction(h -> {
            Ledger.lockUser(h, userId);
            return h.attach(UserDao.class).delete(userId);
        });
        if (deleted == 0) throw ApiProblem.notFound("The account");
    }

    private Me toMe(User u) {
        return new Me(u.id(), u.email(), u.displayName(), u.timezone(), parse(u.settings()), u.createdAt());
    }

    Settings parse(String stored) {
        try {
            if (stored == null || stored.isBlank() || stored.equals("{}")) return Settings.DEFAULTS;
            return json.readValue(stored, Settings.class).withDefaults();
        } catch (JsonProcessingException e) {
            return Settings.DEFAULTS;
        }
    }

    private String write(Settings s) {
        try {
            return json.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String checkZone(String zone) {
        try {
            if (zone.length() > 64) throw new DateTimeException("too long");
            return ZoneId.of(zone).getId();
        } catch (DateTimeException e) {
            throw ApiProblem.badRequest("timezone", "timezone must be an IANA zone like Europe/Berlin or UTC");
        }
    }
}
