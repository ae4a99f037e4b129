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
        List<String> urls = request.urls();
        int k = urls.size();
        ParsedLink[] parsed = new ParsedLink[k];
        String[] errors = new String[k];
        for (int i = 0; i < k; i++) {
            try {
                parsed[i] = links.parse(urls.get(i), ledger.mastodonInstances()).orElse(null);
            } catch (MalformedUrlException e) {
                errors[i] = e.getMessage();
            }
        }
        // Every person is found, and their kept summary read, before anything is written. Both are mostly cache misses
        // (a slot of the handle index, a summary's bytes); in loops of their own the CPU overlaps them rather than
        // waiting on each in turn between writes (~a quarter of a 50-URL request's CPU was these waits).
        int[] contact = new int[k];
        for (int i = 0; i < k; i++) contact[i] = personOf(ledger, parsed[i]);
        long t = PackedLedger.micros(now);
        byte[][] kept = new byte[k][];
        for (int i = 0; i < k; i++) {
            if (contact[i] >= 0) kept[i] = ledger.keptAt(contact[i], t);
        }
        out.raw(RESULTS);
        for (int i = 0; i < k; i++) {
            if (i > 0) out.raw(',');
            write(out, ledger, urls.get(i), parsed[i], errors[i], contact[i], kept[i], now);
        }
        out.raw(RESULTS_END);
    }

    /** The user's own profile: no person. */
    private static final int SELF_PERSON = -2;

    /** The person a link names in this ledger: their position, -1 if unknown (or no link), {@link #SELF_PERSON}. */
    private static int personOf(PackedLedger ledger, ParsedLink p) {
        if (p == null) return -1;
        String platform = p.platform().id();
        return ledger.isSelf(platform, p.handle()) ? SELF_PERSON : ledger.contactOf(platform, p.handle());
    }

    private static void result(JsonWriter out, PackedLedger ledger, String url, ParsedLink p, String error, Instant now) {
        int contact = personOf(ledger, p);
        write(out, ledger, url, p, error, contact, contact >= 0 ? ledger.keptAt(contact, PackedLedger.micros(now)) : null, now);
    }

    private static void write(JsonWriter out, PackedLedger ledger, String url, ParsedLink p, String error, int contact,
                              byte[] kept, Instant now) {
        out.raw(URL).string(url);
        if (p == null) {
            out.raw(PLATFORM).nul().raw(HANDLE).nul().raw(KIND).nul().raw(SELF).bool(false).raw(PERSON).nul().raw(ERROR).string(error).raw('}');
            return;
        }
        out.raw(PLATFORM).string(p.platform().id()).raw(HANDLE).string(p.handle()).raw(KIND).string(p.kind().id())
                .raw(SELF).bool(contact == SELF_PERSON).raw(PERSON);
        if (contact < 0) {
            out.nul();
        } else {
            ledger.writeSummary(out, contact, now, kept);
        }
        out.raw(ERROR).nul().raw('}');
    }
}
