package reciprocity.lookup;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import reciprocity.account.AccountService;
import reciprocity.account.Settings;
import reciprocity.ledger.Ledger;
import reciprocity.ledger.PersonSummary;
import reciprocity.platforms.LinkParser;
import reciprocity.platforms.MalformedUrlException;
import reciprocity.platforms.ParsedLink;
import reciprocity.web.ApiProblem;

/** "What do I owe the person on this page?": a URL to a person's summary in a few index lookups, one URL or a feed's worth. */
public final class LookupService {
    public static final int MAX_URLS = 200;

    /** The answer for one URL; `person` is null for an unknown person, the user's own profile, or a URL that is no person. */
    public record Result(String url, String platform, String handle, String kind, boolean self, PersonSummary person, String error) {}

    /** `POST /v1/lookup`. */
    public record Request(List<String> urls) {}

    private final Jdbi jdbi;
    private final LinkParser links;
    private final AccountService accounts;
    private final Ledger ledger;
    private final Clock clock;

    public LookupService(Jdbi jdbi, LinkParser links, AccountService accounts, Ledger ledger, Clock clock) {
        this.jdbi = jdbi;
        this.links = links;
        this.accounts = accounts;
        this.ledger = ledger;
        this.clock = clock;
    }

    public Result one(long userId, String url) {
        if (url == null || url.isBlank()) throw ApiProblem.badRequest("url", "url is required");
        Settings s = accounts.settings(userId);
        ParsedLink link;
        try {
            link = links.parse(url, s.mastodonInstanceSet()).orElse(null);
        } catch (MalformedUrlException e) {
            throw ApiProblem.badRequest("url", "url: " + e.getMessage());
        }
        return resolve(userId, s, List.of(url), new ParsedLink[] {link}, new String[1]).get(0);
    }

    public List<Result> many(long userId, Request request) {
        if (request.urls() == null) throw ApiProblem.badRequest("urls", "urls is required");
        if (request.urls().size() > MAX_URLS) throw ApiProblem.badRequest("urls", "urls holds at most " + MAX_URLS + " URLs");
        Settings s = accounts.settings(userId);
        int n = request.urls().size();
        ParsedLink[] parsed = new ParsedLink[n];
        String[] errors = new String[n];
        for (int i = 0; i < n; i++) {
            try {
                parsed[i] = links.parse(request.urls().get(i), s.mastodonInstanceSet()).orElse(null);
            } catch (MalformedUrlException e) {
                errors[i] = e.getMessage();
            }
        }
        return resolve(userId, s, request.urls(), parsed, errors);
    }

    /** Three queries whatever the number of URLs: handles, identities, then the summaries. */
    private List<Result> resolve(long userId, Settings s, List<String> urls, ParsedLink[] parsed, String[] errors) {
        Instant now = clock.instant();
        List<String> platforms = new ArrayList<>();
        List<String> handles = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ParsedLink p : parsed) {
            if (p != null && seen.add(p.platform().id() + " " + p.handle())) {
                platforms.add(p.platform().id());
                handles.add(p.handle());
            }
        }
        Map<String, Long> contactOf = new HashMap<>();
        Set<String> mine = new HashSet<>();
        Map<Long, PersonSummary> summaries = new HashMap<>();
        if (!platforms.isEmpty()) {
            String[] ps = platforms.toArray(String[]::new), hs = handles.toArray(String[]::new);
            jdbi.useHandle(h -> {
                h.createQuery("""
                                select k.p, k.h, hd.contact_id, (i.id is not null) self
                                from unnest(:ps, :hs) as k(p, h)
                                left join handles hd on hd.user_id = :u and hd.platform = k.p and hd.handle = k.h
                                left join identities i on i.user_id = :u and i.platform = k.p and i.handle = k.h""")
                        .bind("u", userId).bind("ps", ps).bind("hs", hs)
                        .map((rs, ctx) -> {
                            String key = rs.getString("p") + " " + rs.getString("h");
                            if (rs.getBoolean("self")) mine.add(key);
                            long contact = rs.getLong("contact_id");
                            if (!rs.wasNull()) contactOf.put(key, contact);
                            return key;
                        }).list();
                summaries.putAll(ledger.summaries(h, userId, s, new HashSet<>(contactOf.values()), now));
            });
        }
        List<Result> out = new ArrayList<>(urls.size());
        for (int i = 0; i < urls.size(); i++) {
            ParsedLink p = parsed[i];
            if (p == null) {
                out.add(new Result(urls.get(i), null, null, null, false, null, errors[i]));
                continue;
            }
            String key = p.platform().id() + " " + p.handle();
            boolean self = mine.contains(key);
            PersonSummary person = self ? null : Optional.ofNullable(contactOf.get(key)).map(summaries::get).orElse(null);
            out.add(new Result(urls.get(i), p.platform().id(), p.handle(), p.kind().id(), self, person, null));
        }
        return out;
    }
}
