package reciprocity.tokens;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;
import reciprocity.auth.Secrets;
import reciprocity.web.ApiProblem;

/** Personal access tokens: created (shown once), listed without the secret, revoked. */
public final class TokenService {
    /** `POST /v1/tokens`. */
    public record Create(String name, List<String> scopes, Integer expiresInDays) {}

    /** The one response that carries the token itself. */
    public record Created(long id, String name, String prefix, List<String> scopes, Instant createdAt, Instant expiresAt, String token) {}

    private final Jdbi jdbi;
    private final Clock clock;

    public TokenService(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public Created create(long userId, Create request) {
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > 100) throw ApiProblem.badRequest("name", "name is required, at most 100 characters");
        if (request.scopes() == null || request.scopes().isEmpty()) {
            throw ApiProblem.badRequest("scopes", "scopes is required: [\"read\"] or [\"read\", \"write\"]");
        }
        TreeSet<String> scopes = new TreeSet<>();
        for (String s : request.scopes()) {
            if (!"read".equals(s) && !"write".equals(s)) throw ApiProblem.badRequest("scopes", "scopes may hold only \"read\" and \"write\"");
            scopes.add(s);
        }
        if (!scopes.contains("read")) throw ApiProblem.badRequest("scopes", "a write token must also have the read scope: [\"read\", \"write\"]");
        int days = request.expiresInDays() == null ? 90 : request.expiresInDays();
        if (days < 1 || days > 365) throw ApiProblem.badRequest("expiresInDays", "expiresInDays must be between 1 and 365");
        String token = PatFormat.generate();
        Instant now = clock.instant();
        Instant expires = now.plus(Duration.ofDays(days));
        List<String> scopeList = List.copyOf(scopes);
        long id = jdbi.withExtension(PatDao.class, dao -> dao.insert(userId, name, PatFormat.displayPrefix(token),
                Secrets.sha256(token), scopeList.toArray(String[]::new), now, expires));
        return new Created(id, name, PatFormat.displayPrefix(token), scopeList, now, expires, token);
    }

    public List<Pat> list(long userId) {
        return jdbi.withExtension(PatDao.class, dao -> dao.list(userId, clock.instant()));
    }

    public void revoke(long userId, long id) {
        if (jdbi.withExtension(PatDao.class, dao -> dao.revoke(userId, id, clock.instant())) == 0) {
            throw ApiProblem.notFound("Token " + id);
        }
    }
}
