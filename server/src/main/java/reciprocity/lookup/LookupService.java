package reciprocity.lookup;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import reciprocity.platforms.LinkParser;
import reciprocity.platforms.MalformedUrlException;
import reciprocity.platforms.ParsedLink;
import reciprocity.web.ApiProblem;
import reciprocity.web.JsonWriter;

/**
 * "What do I owe the person on this page?": a URL to a person's summary in a few index lookups, one URL or a feed's
 * worth. Answers are written as JSON straight from the user's {@link PackedLedger}: a LookupResult is
 * {@code {url, platform, handle, kind, self, person, error}}, where person is null for an unknown person, the user's
 * own profile, or a URL that is no person.
 */
public final class LookupService {
    public static final int MAX_URLS = 200;

    /** `POST /v1/lookup`. */
    public record Request(List<String> urls) {}

    private static final byte[] URL = JsonWriter.ascii("{\"url\":"), PLATFORM = JsonWriter.ascii(",\"platform\":"),
            HANDLE = JsonWriter.ascii(",\"handle\":"), KIND = JsonWriter.ascii(",\"kind\":"), SELF = JsonWriter.ascii(",\"self\":"),
            PERSON = JsonWriter.ascii(",\"person\":"), ERROR = JsonWriter.ascii(",\"error\":"),
            RESULTS = JsonWriter.ascii("{\"results\":["), RESULTS_END = JsonWriter.ascii("]}");

    private final LinkParser links;
    private final ReadModel model;
    private final Clock clock;

    public LookupService(LinkParser links, ReadModel model, Clock clock) {
        this.links = links;
        this.model = model;
        this.clock = clock;
    }

    /** `GET /v1/lookup?url=`: one LookupResult. */
    public void one(long userId, String url, JsonWriter out) {
        if (url == null || url.isBlank()) throw ApiProblem.badRequest("url", "url is required");
        PackedLedger ledger = model.ledger(userId);
        ParsedLink link;
        try {
            link = links.parse(url, ledger.mastodonInstances()).orElse(null);
        } catch (MalformedUrlException e) {
            throw ApiProblem.badRequest("url", "url: " + e.getMessage());
        }
        result(out, ledger, url, link, null, clock.instant());
    }

    /** `POST /v1/lookup`: `{results: [LookupResult...]}` in the order of the URLs. */
    public void many(long userId, Request request, JsonWriter out) {
        if (request.urls() == null) throw ApiProblem.badRequest("urls", "urls is required");
        if (request.urls().size() > MAX_URLS) throw ApiProblem.badRequest("urls", "urls holds at most " + MAX_URLS + " URLs");
        for (int i = 0; i < request.urls().size(); i++) {
            String url = request.urls().get(i);
            if (url == null) throw ApiProblem.badRequest("urls[" + i + "]", "urls[" + i + "] must be a URL, not null");
            if (url.length() > LinkParser.MAX_URL_LENGTH) {
                throw ApiProblem.badRequest("urls[" + i + "]", "urls[" + i + "] is longer than " + LinkParser.MAX_URL_LENGTH + " characters");
            }
        }
        PackedLedger ledger = model.ledger(userId);
        Instant now = clock.instant();
        out.raw(RESULTS);
        boolean first = true;
        for (String url : request.urls()) {
            if (!first) out.raw(',');
            first = false;
            try {
                result(out, ledger, url, links.parse(url, ledger.mastodonInstances()).orElse(null), null, now);
            } catch (MalformedUrlException e) {
                result(out, ledger, url, null, e.getMessage(), now);
            }
        }
        out.raw(RESULTS_END);
    }

    private static void result(JsonWriter out, PackedLedger ledger, String url, ParsedLink p, String error, Instant now) {
        out.raw(URL).string(url);
        if (p == null) {
            out.raw(PLATFORM).nul().raw(HANDLE).nul().raw(KIND).nul().raw(SELF).bool(false).raw(PERSON).nul().raw(ERROR).string(error).raw('}');
            return;
        }
        String platform = p.platform().id();
        boolean self = ledger.isSelf(platform, p.handle());
        out.raw(PLATFORM).string(platform).raw(HANDLE).string(p.handle()).raw(KIND).string(p.kind().id()).raw(SELF).bool(self)
                .raw(PERSON);
        int contact = self ? -1 : ledger.contactOf(platform, p.handle());
        if (contact < 0) {
            out.nul();
        } else {
            ledger.writeSummary(out, contact, now);
        }
        out.raw(ERROR).nul().raw('}');
    }
}
