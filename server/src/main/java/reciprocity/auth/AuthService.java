package reciprocity.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jdbi.v3.core.Jdbi;
import reciprocity.db.ChangeFeed;
import reciprocity.tokens.PatDao;
import reciprocity.tokens.PatFormat;
import reciprocity.web.ApiProblem;
import reciprocity.web.Principal;

/** Accounts and sessions: registration, sign-in, refresh-token rotation, and turning a bearer token into a caller. */
public final class AuthService {
    public static final Duration REFRESH_LIFETIME = Duration.ofDays(30);
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
    private static final Duration PAT_TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final Jdbi jdbi;
    private final Passwords passwords;
    private final AccessTokens accessTokens;
    private final Clock clock;
    private final boolean registrationOpen;
    private final Throttle loginFailuresPerAccount;
    private final Throttle loginFailuresPerAddress;
    private final Throttle registrationsPerAddress;
    private final ChangeFeed feed;
    // Every request checks its token against the account; these answer from memory while the account is unchanged.
    private final Cache<Long, CachedVersion> versions = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(20)).build();
    private final Cache<String, CachedPat> pats = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(20)).build();
    // Access tokens verified before, by the SHA-256 of their text (never the text itself), kept until they expire:
    // the signature and claims cannot change, so only the account's token version is checked again per request.
    private final Cache<String, CachedAccess> access = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(AccessTokens.LIFETIME).build();
    private static final Set<String> SESSION_SCOPES = Set.of("read", "write");

    private record CachedVersion(int version, ChangeFeed.Stamp stamp) {}

    private record CachedPat(PatDao.Active pat, Principal principal, ChangeFeed.Stamp stamp) {}

    private record CachedAccess(AccessTokens.Claims claims, Principal principal) {}

    public AuthService(Jdbi jdbi, Passwords passwords, AccessTokens accessTokens, Clock clock, boolean registrationOpen,
                       int loginAttemptsPerMinute, int registrationsPerHour, Throttles throttles, ChangeFeed feed) {
        this.feed = feed;
        this.jdbi = jdbi;
        this.passwords = passwords;
        this.accessTokens = accessTokens;
        this.clock = clock;
        this.registrationOpen = registrationOpen;
        String wait = "Too many failed sign-ins; wait before trying again";
        // Exact across processes: an attacker spreading guesses over several server processes gets no more of them.
        this.loginFailuresPerAccount = throttles.exact("login-account", loginAttemptsPerMinute, Duration.ofMinutes(1), wait);
        this.loginFailuresPerAddress = throttles.exact("login-address", loginAttemptsPerMinute * 5L, Duration.ofMinutes(1), wait);
        this.registrationsPerAddress = throttles.exact("register-address", registrationsPerHour, Duration.ofHours(1),
                "Too many accounts created from this address; wait before trying again");
    }

    public TokenPair register(String email, String password, String displayName, String clientAddress) {
        if (!registrationOpen) {
            throw ApiProblem.forbidden("Registration is closed on this server; ask its administrator for an account");
        }
        String cleanEmail = checkEmail(email);
        Passwords.checkStrength("password", password);
        String name = checkDisplayName(displayName);
        registrationsPerAddress.consume(clientAddress);
        String hash = passwords.hash(password);
        return jdbi.inTransaction(h -> {
            Instant now = clock.instant();
            long id = h.attach(UserDao.class).insert(cleanEmail, hash, name, now)
                    .orElseThrow(() -> ApiProblem.conflict("An account with this email already exists; sign in instead"));
            return issue(h.attach(RefreshTokenDao.class), id, 0, UUID.randomUUID(), now);
        });
    }

    public TokenPair login(String email, String password, String clientAddress) {
        if (email == null || password == null) {
            throw ApiProblem.badRequest(email == null ? "email" : "password", (email == null ? "email" : "password") + " is required");
        }
        String account = email.strip().toLowerCase(Locale.ROOT);
        // Every attempt takes a token before the password is checked, and a success gives it back: so parallel
        // guesses, on one process or several, get no more checks than the limit, and only failures count.
        loginFailuresPerAccount.consume(account);
        try {
            loginFailuresPerAddress.consume(clientAddress);
        } catch (ApiProblem refused) {
            loginFailuresPerAccount.giveBack(account);
            throw refused;
        }
        Optional<User> found = jdbi.withExtension(UserDao.class, dao -> dao.findByEmail(account));
        boolean ok;
        if (found.isPresent()) {
            ok = passwords.verify(password, found.get().passwordHash());
        } else {
            passwords.verifyDummy(password);
            ok = false;
        }
        if (!ok) throw ApiProblem.unauthorized("The email or password is wrong");
        loginFailuresPerAccount.giveBack(account);
        loginFailuresPerAddress.giveBack(clientAddress);
        User user = found.get();
        String rehash = passwords.needsRehash(user.passwordHash()) ? passwords.hash(password) : null;
        return jdbi.inTransaction(h -> {
            if (rehash != null) h.attach(UserDao.class).updatePasswordHash(user.id(), rehash);
            return issue(h.attach(RefreshTokenDao.class), user.id(), user.tokenVersion(), UUID.randomUUID(), clock.instant());
        });
    }

    /**
     * Rotates a refresh token. A token that was already used means it leaked (or a client misbehaves): the whole
     * family is revoked, so both the thief's and the owner's next refresh fail.
     */
    public TokenPair refresh(String refreshToken) {
        if (refreshToken == null || refreshToken.isBlank() || refreshToken.length() > 200) {
            throw ApiProblem.badRequest("refreshToken", "refreshToken is required");
        }
        byte[] hash = Secrets.sha256(refreshToken);
        Instant now = clock.instant();
        Optional<TokenPair> rotated = jdbi.inTransaction(h -> {
            RefreshTokenDao tokens = h.attach(RefreshTokenDao.class);
            Optional<RefreshTokenDao.Spent> spent = tokens.spend(hash, now);
            if (spent.isEmpty()) return Optional.empty();
            int version = h.attach(UserDao.class).tokenVersion(spent.get().userId()).orElse(-1);
            if (version < 0) return Optional.empty();
            return Optional.of(issue(tokens, spent.get().userId(), version, spent.get().familyId(), now));
        });
        if (rotated.isPresent()) return rotated.get();
        jdbi.useTransaction(h -> {
            RefreshTokenDao tokens = h.attach(RefreshTokenDao.class);
            tokens.familyOf(hash).ifPresent(family -> tokens.revokeFamily(family, now));
        });
        throw ApiProblem.unauthorized("The refresh token is invalid, expired or already used; sign in again");
    }

    public void logout(String refreshToken) {
        if (refreshToken == null || refreshToken.isBlank() || refreshToken.length() > 200) {
            throw ApiProblem.badRequest("refreshToken", "refreshToken is required");
        }
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            RefreshTokenDao tokens = h.attach(RefreshTokenDao.class);
            tokens.familyOf(Secrets.sha256(refreshToken)).ifPresent(family -> tokens.revokeFamily(family, now));
        });
    }

    /** The caller behind an Authorization header value, or 401. */
    public Principal authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiProblem.unauthorized("Sign in first: send `Authorization: Bearer <token>`");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiProblem.unauthorized("Use the Bearer scheme: `Authorization: Bearer <token>`");
        }
        String token = authorization.substring(7).strip();
        if (token.startsWith(PatFormat.PREFIX)) {
            return authenticatePat(token);
        }
        String key = java.util.HexFormat.of().formatHex(Secrets.sha256(token));
        CachedAccess verified = access.getIfPresent(key);
        if (verified == null || !clock.instant().isBefore(verified.claims().expiresAt())) {
            AccessTokens.Claims claims = accessTokens.verify(token);
            verified = new CachedAccess(claims, new Principal(claims.userId(), SESSION_SCOPES, true));
            access.put(key, verified);
        }
        int current = tokenVersion(verified.claims().userId());
        if (current != verified.claims().tokenVersion()) {
            throw ApiProblem.unauthorized("The access token is no longer valid (password changed or account deleted); sign in again");
        }
        return verified.principal();
    }

    private PatDao.Active findPat(byte[] hash, Instant now) {
        return jdbi.withExtension(PatDao.class, dao -> dao.findActive(hash, now))
                .orElseThrow(() -> ApiProblem.unauthorized("The personal access token is unknown, revoked or expired"));
    }

    private int tokenVersion(long userId) {
        CachedVersion cached = versions.getIfPresent(userId);
        if (cached != null && feed.isCurrent(userId, cached.stamp())) return cached.version();
        ChangeFeed.Stamp stamp = feed.stamp(userId);
        int version = jdbi.withExtension(UserDao.class, dao -> dao.tokenVersion(userId)).orElse(-1);
        versions.put(userId, new CachedVersion(version, stamp));
        return version;
    }

    private Principal authenticatePat(String token) {
        if (!PatFormat.isWellFormed(token)) {
            throw ApiProblem.unauthorized("The personal access token is malformed (check for a typo)");
        }
        Instant now = clock.instant();
        byte[] hash = Secrets.sha256(token);
        String cacheKey = java.util.HexFormat.of().formatHex(hash);
        CachedPat cached = pats.getIfPresent(cacheKey);
        if (cached == null || !feed.isCurrent(cached.pat().userId(), cached.stamp()) || !cached.pat().expiresAt().isAfter(now)) {
            PatDao.Active pat = findPat(hash, now);
            // The owner is known only after a read; read again under a stamp so a revocation racing the first read
            // is never cached as valid.
            ChangeFeed.Stamp stamp = feed.stamp(pat.userId());
            pat = findPat(hash, now);
            cached = new CachedPat(pat, new Principal(pat.userId(), Set.copyOf(pat.scopes()), false), stamp);
            if (stamp.equals(feed.stamp(pat.userId()))) pats.put(cacheKey, cached);
        }
        // Recorded at most once a minute, so a busy script does not write on every call. The touch announces no change
        // (see V8), so the cached copy is brought up to date here rather than dropped and read again.
        PatDao.Active used = cached.pat();
        if (used.lastUsedAt() == null || used.lastUsedAt().plus(PAT_TOUCH_INTERVAL).isBefore(now)) {
            jdbi.useExtension(PatDao.class, dao -> dao.touch(used.id(), now));
            PatDao.Active touched = new PatDao.Active(used.id(), used.userId(), used.scopes(), now, used.expiresAt());
            pats.asMap().replace(cacheKey, cached, new CachedPat(touched, cached.principal(), cached.stamp()));
        }
        return cached.principal();
    }

    public Passwords passwords() {
        return passwords;
    }

    TokenPair issue(RefreshTokenDao tokens, long userId, int tokenVersion, UUID family, Instant now) {
        String refresh = Secrets.randomToken();
        tokens.insert(userId, family, Secrets.sha256(refresh), now, now.plus(REFRESH_LIFETIME));
        return TokenPair.bearer(accessTokens.issue(userId, tokenVersion), refresh);
    }

    public TokenPair issueFor(long userId, int tokenVersion) {
        return jdbi.inTransaction(h -> issue(h.attach(RefreshTokenDao.class), userId, tokenVersion, UUID.randomUUID(), clock.instant()));
    }

    static String checkEmail(String email) {
        if (email == null || email.isBlank()) throw ApiProblem.badRequest("email", "email is required");
        String e = email.strip();
        if (e.length() > 254 || !EMAIL.matcher(e).matches()) {
            throw ApiProblem.badRequest("email", "email must be an address like name@example.com");
        }
        return e;
    }

    public static String checkDisplayName(String displayName) {
        if (displayName == null || displayName.isBlank()) throw ApiProblem.badRequest("displayName", "displayName is required");
        String n = displayName.strip();
        if (n.codePointCount(0, n.length()) > 100) throw ApiProblem.badRequest("displayName", "displayName must be at most 100 characters");
        return n;
    }
}
