package reciprocity.lookup;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import reciprocity.ledger.ContactState;
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

    private final LinkParser links;
    private final ReadModel model;
    private final Clock clock;

    public LookupService(LinkParser links, ReadModel model, Clock clock) {
        this.links = links;
        this.model = model;
        this.clock = clock;
    }

    public Result one(long userId, String url) {
        if (url == null || url.isBlank()) throw ApiProblem.badRequest("url", "url is required");
        ReadModel.UserView view = model.view(userId);
        ParsedLink link;
        try {
            link = links.parse(url, view.settings().mastodonInstanceSet()).orElse(null);
        } catch (MalformedUrlException e) {
            throw ApiProblem.badRequest("url", "url: " + e.getMessage());
        }
        return result(view, url, link, null, clock.instant());
    }

    public List<Result> many(long userId, Request request) {
        if (request.urls() == null) throw ApiProblem.badRequest("urls", "urls is required");
        if (request.urls().size() > MAX_URLS) throw ApiProblem.badRequest("urls", "urls holds at most " + MAX_URLS + " URLs");
        for (int i = 0; i < request.urls().size(); i++) {
            String url = request.urls().get(i);
            if (url == null) throw ApiProblem.badRequest("urls[" + i + "]", "urls[" + i + "] must be a URL, not null");
            if (url.length() > LinkParser.MAX_URL_LENGTH) {
                throw ApiProblem.badRequest("urls[" + i + "]", "urls[" + i + "] is longer than " + LinkParser.MAX_URL_LENGTH + " characters");
            }
        }
        ReadModel.UserView view = model.view(userId);
        Set<String> instances = view.settings().mastodonInstanceSet();
        Instant now = clock.instant();
        List<Result> out = new ArrayList<>(request.urls().size());
        for (String url : request.urls()) {
            try {
                out.add(result(view, url, links.parse(url, instances).orElse(null), null, now));
            } catch (MalformedUrlException e) {
                out.add(result(view, url, null, e.getMessage(), now));
            }
        }
        return out;
    }

    private static Result result(ReadModel.UserView view, String url, ParsedLink p, String error, Instant now) {
        if (p == null) return new Result(url, null, null, null, false, null, error);
        String key = p.platform().id() + " " + p.handle();
        boolean self = view.identities().contains(key);
        PersonSummary person = null;
        if (!self) {
            Long contactId = view.contactByKey().get(key);
            ContactState state = contactId == null ? null : view.contacts().get(contactId);
            if (state != null) person = state.summarize(view.settings(), now);
        }
        return new Result(url, p.platform().id(), p.handle(), p.kind().id(), self, person, null);
    }
}
