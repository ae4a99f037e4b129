package reciprocity.identities;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import reciprocity.account.AccountService;
import reciprocity.account.Settings;
import reciprocity.contacts.ContactService;
import reciprocity.ledger.Ledger;
import reciprocity.ledger.PersonRef;
import reciprocity.platforms.LinkParser;
import reciprocity.platforms.Platform;
import reciprocity.web.ApiProblem;

/**
 * The user's own identities. A handle is either the user's or a contact's, never both: claiming a handle a contact
 * has is a 409 naming the contact (remove the handle there, or delete the contact, first), so no interaction is ever
 * recorded with the user's own profile.
 */
public final class IdentityService {
    /** Listed whole, so bounded. */
    public static final int MAX_IDENTITIES = 100;

    private final Jdbi jdbi;
    private final Ledger ledger;
    private final AccountService accounts;
    private final Clock clock;

    public IdentityService(Jdbi jdbi, Ledger ledger, AccountService accounts, Clock clock) {
        this.jdbi = jdbi;
        this.ledger = ledger;
        this.accounts = accounts;
        this.clock = clock;
    }

    public List<Identity> list(long userId) {
        return jdbi.withHandle(h -> list(h, userId));
    }

    public static List<Identity> list(Handle h, long userId) {
        return h.createQuery("select id, platform, handle, created_at from identities where user_id = :u order by platform, handle, id")
                .bind("u", userId)
                .map((rs, ctx) -> of(rs.getLong("id"), rs.getString("platform"), rs.getString("handle"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    public Identity create(long userId, Identity.Create in) {
        if (in.url() != null && in.url().length() > LinkParser.MAX_URL_LENGTH) {
            throw ApiProblem.badRequest("url", "url is longer than " + LinkParser.MAX_URL_LENGTH + " characters");
        }
        Settings settings = accounts.settings(userId);
        Map.Entry<Platform, String> key = unprefixed(() -> ledger.handleOf(new PersonRef(in.url(), in.platform(), in.handle(), null), settings, "identity"));
        String platform = key.getKey().id();
        String handle = key.getValue();
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            if (ledger.contactOfHandle(h, userId, platform, handle).isPresent()) {
                ApiProblem taken = ContactService.taken(h, userId, platform, handle);
                throw ApiProblem.conflict(taken.getMessage() + "; remove it from that contact before claiming it as yours");
            }
            int count = h.createQuery("select count(*) from identities where user_id = :u").bind("u", userId).mapTo(Integer.class).one();
            if (count >= MAX_IDENTITIES) throw ApiProblem.unprocessable(null, "You can have at most " + MAX_IDENTITIES + " identities");
            Optional<Long> id = h.createQuery("""
                            insert into identities (user_id, platform, handle, created_at) values (:u, :p, :h, :now)
                            on conflict (user_id, platform, handle) do nothing returning id""")
                    .bind("u", userId).bind("p", platform).bind("h", handle).bind("now", now).mapTo(Long.class).findOne();
            if (id.isEmpty()) throw ApiProblem.conflict(platform + ":" + handle + " is already one of your identities");
            return of(id.get(), platform, handle, now);
        });
    }

    public void delete(long userId, long id) {
        int deleted = jdbi.withHandle(h -> h.createUpdate("delete from identities where user_id = :u and id = :id")
                .bind("u", userId).bind("id", id).execute());
        if (deleted == 0) throw ApiProblem.notFound("Identity " + id);
    }

    private static Identity of(long id, String platform, String handle, Instant createdAt) {
        return new Identity(id, platform, handle, ContactService.profileUrl(platform, handle), createdAt);
    }

    /** The body is the handle itself: problems name `url`, `platform`, `handle`, not `identity.url`. */
    private static <T> T unprefixed(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ApiProblem p) {
            if (p.field() == null || !p.field().startsWith("identity.")) throw p;
            throw new ApiProblem(p.status(), p.title(), p.getMessage().replace("identity.", ""), p.field().substring("identity.".length()), p.headers());
        }
    }
}
