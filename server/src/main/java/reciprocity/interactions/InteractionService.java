package reciprocity.interactions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import reciprocity.account.AccountService;
import reciprocity.account.Settings;
import reciprocity.auth.Secrets;
import reciprocity.db.Rows;
import reciprocity.ledger.Ledger;
import reciprocity.ledger.PersonRef;
import reciprocity.ledger.PersonSummary;
import reciprocity.web.ApiProblem;
import reciprocity.web.Cursors;
import reciprocity.web.Page;
import reciprocity.web.Problem;

/** Recording interactions (idempotent single writes and per-item batches), listing and deleting them. */
public final class InteractionService {
    public static final int MAX_BATCH = 1000;

    /** `POST /v1/interactions` and each batch item. */
    public record Create(PersonRef person, String direction, String kind, String url, String threadUrl, Instant occurredAt,
                         String note, String source, String externalId) {}

    /** `POST /v1/interactions/batch`. */
    public record Batch(List<Create> items) {}

    /** One batch item's outcome. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record ItemResult(String status, Long id, InteractionView interaction, Problem problem) {}

    /** A response to send as is: status and JSON body (a replay sends the stored one). */
    public record Reply(int status, String body) {}

    private final Jdbi jdbi;
    private final Ledger ledger;
    private final AccountService accounts;
    private final ObjectMapper json;
    private final Clock clock;
    private final Cursors cursors;

    public InteractionService(Jdbi jdbi, Ledger ledger, AccountService accounts, ObjectMapper json, Clock clock, Cursors cursors) {
        this.jdbi = jdbi;
        this.ledger = ledger;
        this.accounts = accounts;
        this.json = json;
        this.clock = clock;
        this.cursors = cursors;
    }

    /**
     * Records one interaction exactly once per Idempotency-Key: the key, the write and the stored response commit
     * together, and a transaction-scoped advisory lock tells a concurrent twin that the first is still in flight.
     */
    public Reply create(long userId, String idempotencyKey, Create request) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            throw ApiProblem.badRequest("Idempotency-Key", "The Idempotency-Key header is required (any unique string, e.g. a UUID, reused on retries)");
        }
        if (idempotencyKey.length() > 255) throw ApiProblem.badRequest("Idempotency-Key", "Idempotency-Key must be at most 255 characters");
        byte[] requestHash = Secrets.sha256(write(request));
        Instant now = clock.instant();
        Settings settings = accounts.settings(userId);
        Ledger.NewInteraction valid = validate(request, now, "");
        return jdbi.inTransaction(h -> {
            boolean locked = h.createQuery("select pg_try_advisory_xact_lock(:k)")
                    .bind("k", lockKey(userId, idempotencyKey)).mapTo(Boolean.class).one();
            if (!locked) throw ApiProblem.conflict("A request with this Idempotency-Key is still in progress; retry shortly");
            Optional<Map<String, Object>> stored = h.createQuery(
                            "select status, response, request_hash from idempotency_keys where user_id = :u and key = :k")
                    .bind("u", userId).bind("k", idempotencyKey).mapToMap().findOne();
            if (stored.isPresent()) {
                if (!Arrays.equals((byte[]) stored.get().get("request_hash"), requestHash)) {
                    throw ApiProblem.unprocessable("Idempotency-Key", "This Idempotency-Key was already used with a different request body; use a new key for a new interaction");
                }
                return new Reply((Integer) stored.get().get("status"), (String) stored.get().get("response"));
            }
            Ledger.Recorded recorded = ledger.record(h, userId, settings, valid, now);
            PersonSummary person = ledger.summaries(h, userId, settings, List.of(recorded.interaction().contactId()), now)
                    .get(recorded.interaction().contactId());
            String body = write(InteractionView.of(recorded.interaction(), person));
            int status = recorded.created() ? 201 : 200;
            h.createUpdate("""
                            insert into idempotency_keys (user_id, key, request_hash, status, response, created_at)
                            values (:u, :k, :hash, :status, :body, :now)""")
                    .bind("u", userId).bind("k", idempotencyKey).bind("hash", requestHash).bind("status", status)
                    .bind("body", body).bind("now", now).execute();
            return new Reply(status, body);
        });
    }

    /**
     * Each item is all-or-nothing; a bad item never sinks the others. {@code minimal}: each stored item is answered with
     * its id only (`Prefer: return=minimal`), which spares a bulk loader the echo of what it sent.
     */
    public List<ItemResult> batch(long userId, Batch batch, String path, boolean minimal) {
        if (batch.items() == null) throw ApiProblem.badRequest("items", "items is required");
        if (batch.items().size() > MAX_BATCH) throw ApiProblem.badRequest("items", "items holds at most " + MAX_BATCH + " interactions; split the batch");
        Instant now = clock.instant();
        // Each loop over the items is a method of its own, so that this one, run once per batch, is never compiled
        // on the stack with all it calls (see Ledger.recordBulk).
        List<ItemResult> results = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<Ledger.NewInteraction> toWrite = validateAll(batch.items(), now, path, results, positions);
        if (toWrite.isEmpty()) return results;
        List<Ledger.BulkResult> written = jdbi.inTransaction(h -> ledger.recordBulk(h, userId, accounts.settings(h, userId), toWrite, now));
        answer(written, positions, path, minimal, results);
        return results;
    }

    /**
     * The valid items, in order, with their {@code positions} in the batch; {@code results} gets a slot per item, an
     * error for an invalid one and null for the others.
     */
    private List<Ledger.NewInteraction> validateAll(List<Create> items, Instant now, String path,
                                                    List<ItemResult> results, List<Integer> positions) {
        List<Ledger.NewInteraction> valid = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                valid.add(validate(items.get(i), now, "items[" + i + "]."));
                positions.add(i);
                results.add(null);
            } catch (ApiProblem p) {
                results.add(error(p, path));
            }
        }
        return valid;
    }

    /** Puts each written item's outcome in its slot. */
    private static void answer(List<Ledger.BulkResult> written, List<Integer> positions, String path, boolean minimal,
                               List<ItemResult> results) {
        for (int j = 0; j < written.size(); j++) {
            int i = positions.get(j);
            Ledger.BulkResult r = written.get(j);
            if ("error".equals(r.status())) {
                ApiProblem p = r.problem();
                results.set(i, error(new ApiProblem(p.status(), p.title(), "items[" + i + "]: " + p.getMessage(),
                        p.field() == null ? null : "items[" + i + "]." + p.field(), null), path));
            } else {
                results.set(i, minimal ? new ItemResult(r.status(), r.interaction().id(), null, null)
                        : new ItemResult(r.status(), null, InteractionView.of(r.interaction(), null), null));
            }
        }
    }

    private static ItemResult error(ApiProblem p, String path) {
        return new ItemResult("error", null, null, new Problem("about:blank", p.title(), p.status(), p.getMessage(), path, p.field()));
    }

    public InteractionView get(long userId, long id) {
        Instant now = clock.instant();
        Settings settings = accounts.settings(userId);
        return jdbi.inTransaction(h -> {
            Ledger.Interaction i = ledger.interaction(h, userId, id).orElseThrow(() -> ApiProblem.notFound("Interaction " + id));
            return InteractionView.of(i, ledger.summaries(h, userId, settings, List.of(i.contactId()), now).get(i.contactId()));
        });
    }

    /** Deletes one interaction and recomputes what it affected (balance, replies it opened or resolved, windows). */
    public void delete(long userId, long id) {
        Instant now = clock.instant();
        Settings settings = accounts.settings(userId);
        jdbi.useTransaction(h -> {
            Long contactId = h.createQuery("delete from interactions where user_id = :u and id = :id returning contact_id")
                    .bind("u", userId).bind("id", id).mapTo(Long.class).findOne()
                    .orElseThrow(() -> ApiProblem.notFound("Interaction " + id));
            // Its reply obligation, if any, has its id (V10); no foreign key cascades to it.
            h.createUpdate("delete from obligations where user_id = :u and id = :id and interaction_id = :id")
                    .bind("u", userId).bind("id", id).execute();
            ledger.recompute(h, userId, settings, contactId, now);
        });
    }

    /** Filters for `GET /v1/interactions`. */
    public record Filter(Long contactId, String direction, String kind, String platform, Instant since, Instant until) {}

    /**
     * A page of the user's interactions, newest first. They are read person by person through interactions_contact
     * (contact_id, occurred_at desc, id desc): there is no user-wide time index (V13), which made every big import much
     * slower. People are taken in the order they were touched last, a growing batch at a time, until no one left can
     * have a row that belongs on the page.
     */
    public Page<InteractionView> list(long userId, Filter f, String cursor, int limit) {
        StringBuilder where = new StringBuilder();
        if (f.direction() != null) where.append(" and i.direction = :direction");
        if (f.kind() != null) where.append(" and i.kind = :kind");
        if (f.platform() != null) where.append(" and i.platform = :platform");
        if (f.since() != null) where.append(" and i.occurred_at >= :since");
        if (f.until() != null) where.append(" and i.occurred_at < :until");
        Instant afterAt = null;
        Long afterId = null;
        if (cursor != null) {
            List<String> v = cursors.decode(userId, "interactions", cursor, 2);
            afterAt = Instant.parse(v.get(0));
            afterId = Long.parseLong(v.get(1));
            where.append(" and (i.occurred_at, i.id) < (:afterAt, :afterId)");
        }
        PageRows rows = new PageRows(userId, f, where.toString(), afterAt, afterId, limit + 1);
        // One snapshot for all the queries of a page, as one query would have: a row written meanwhile is on it or not.
        List<Ledger.Interaction> page = jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> f.contactId() != null
                ? rows.of(h, new Long[] {f.contactId()}, null) : newestFirst(h, rows));
        String next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            Ledger.Interaction last = page.get(limit - 1);
            next = cursors.encode(userId, "interactions", List.of(last.occurredAt().toString(), Long.toString(last.id())));
        }
        return new Page<>(page.stream().map(i -> InteractionView.of(i, null)).toList(), next);
    }

    /**
     * The filtered rows of some of the user's people: at most {@code wanted} of each, and of all, newest first; none
     * before {@code floor} (when the page is full already, a row older than its oldest cannot get onto it).
     */
    private record PageRows(long userId, Filter f, String where, Instant afterAt, Long afterId, int wanted) {
        List<Ledger.Interaction> of(Handle h, Long[] people, Instant floor) {
            return h.createQuery("""
                            select x.* from unnest(cast(:cs as bigint[])) as q(c)
                            cross join lateral (select * from interactions i where i.contact_id = q.c and i.user_id = :u %s %s
                                                order by i.contact_id, i.occurred_at desc, i.id desc limit :wanted) x
                            order by x.occurred_at desc, x.id desc limit :wanted"""
                            .formatted(where, floor == null ? "" : "and i.occurred_at >= :floor"))
                    .bind("u", userId).bind("cs", people).bind("direction", f.direction()).bind("kind", f.kind())
                    .bind("platform", f.platform()).bind("since", f.since()).bind("until", f.until())
                    .bind("afterAt", afterAt).bind("afterId", afterId).bind("wanted", wanted).bind("floor", floor)
                    .map(Ledger.INTERACTION).list();
        }

        /** No row of a person touched last at {@code last} can be newer than this. */
        Instant ceiling(Instant last) {
            Instant c = last;
            if (afterAt != null && afterAt.isBefore(c)) c = afterAt;
            if (f.until() != null && f.until().isBefore(c)) c = f.until();
            return c;
        }
    }

    /**
     * The page across all of the user's people. A person's last_interaction_at is never older than their newest row
     * (it only grows as rows come in, and is recomputed when one is deleted or moved), so once the page is full, a
     * person whose ceiling is before the page's oldest row, and everyone touched before them, is left unread.
     */
    private static List<Ledger.Interaction> newestFirst(Handle h, PageRows rows) {
        int wanted = rows.wanted();
        List<Ledger.Interaction> best = new ArrayList<>();
        Instant seenAt = null;
        long seenId = 0;
        int batch = wanted;
        while (true) {
            // The next batch of people in the order of contacts_user_last, and one more to tell whether to go on.
            List<Map.Entry<Long, Instant>> people = h.createQuery("""
                            select id, last_interaction_at from contacts
                            where user_id = :u and last_interaction_at is not null %s %s
                            order by last_interaction_at desc nulls last, id limit :n"""
                            .formatted(seenAt == null ? "" : "and last_interaction_at <= :seenAt and not (last_interaction_at = :seenAt and id <= :seenId)",
                                    rows.f().since() == null ? "" : "and last_interaction_at >= :since"))
                    .bind("u", rows.userId()).bind("seenAt", seenAt).bind("seenId", seenId).bind("since", rows.f().since())
                    .bind("n", batch + 1)
                    .map((rs, ctx) -> Map.entry(rs.getLong("id"), Rows.instant(rs, "last_interaction_at")))
                    .list();
            List<Long> read = new ArrayList<>();
            for (Map.Entry<Long, Instant> p : people.subList(0, Math.min(batch, people.size()))) {
                if (full(best, wanted, rows.ceiling(p.getValue()))) break;
                read.add(p.getKey());
            }
            if (!read.isEmpty()) {
                Instant floor = best.size() == wanted ? best.get(wanted - 1).occurredAt() : null;
                best = newest(best, rows.of(h, read.toArray(Long[]::new), floor), wanted);
            }
            if (read.size() < batch || people.size() <= batch || full(best, wanted, rows.ceiling(people.get(batch).getValue()))) {
                return best;
            }
            seenAt = people.get(batch - 1).getValue();
            seenId = people.get(batch - 1).getKey();
            batch = Math.min(batch * 4, 10_000);
        }
    }

    /** Whether the page is full and no row at or before {@code ceiling} can get onto it. */
    private static boolean full(List<Ledger.Interaction> best, int wanted, Instant ceiling) {
        return best.size() == wanted && ceiling.isBefore(best.get(wanted - 1).occurredAt());
    }

    private static final Comparator<Ledger.Interaction> NEWEST_FIRST =
            Comparator.comparing(Ledger.Interaction::occurredAt).thenComparing(Ledger.Interaction::id).reversed();

    private static List<Ledger.Interaction> newest(List<Ledger.Interaction> a, List<Ledger.Interaction> b, int wanted) {
        List<Ledger.Interaction> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        all.sort(NEWEST_FIRST);
        return all.size() > wanted ? new ArrayList<>(all.subList(0, wanted)) : all;
    }

    /** Checks one request; field names are prefixed (`items[3].`) for batch items. */
    private static final Instant EARLIEST = Instant.parse("1990-01-01T00:00:00Z");

    public static Ledger.NewInteraction validate(Create c, Instant now, String prefix) {
        if (c == null) throw ApiProblem.badRequest(prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1), "an interaction object is required");
        if (c.person() == null) throw ApiProblem.badRequest(prefix + "person", prefix + "person is required: {url}, {platform, handle} or {contactId}");
        if (c.direction() == null || !Ledger.DIRECTIONS.contains(c.direction())) {
            throw ApiProblem.badRequest(prefix + "direction", prefix + "direction must be inbound (they gave) or outbound (you gave)");
        }
        if (c.kind() == null || !Settings.KINDS.contains(c.kind())) {
            throw ApiProblem.badRequest(prefix + "kind", prefix + "kind must be one of " + String.join(", ", Settings.KINDS));
        }
        Instant occurred = c.occurredAt() == null ? now : c.occurredAt();
        if (occurred.isAfter(now.plus(Duration.ofDays(1)))) {
            throw ApiProblem.badRequest(prefix + "occurredAt", prefix + "occurredAt is more than a day in the future");
        }
        if (occurred.isBefore(EARLIEST)) {
            throw ApiProblem.badRequest(prefix + "occurredAt", prefix + "occurredAt is before 1990");
        }
        checkUrl(prefix, "url", c.url());
        checkUrl(prefix, "threadUrl", c.threadUrl());
        checkLength(prefix, "note", c.note(), 5000);
        checkLength(prefix, "source", c.source(), 100);
        checkLength(prefix, "externalId", c.externalId(), 255);
        if (c.externalId() != null && c.externalId().isBlank()) throw ApiProblem.badRequest(prefix + "externalId", prefix + "externalId must not be blank");
        if (c.person().contactId() != null && c.person().contactId() <= 0) {
            throw ApiProblem.badRequest(prefix + "person.contactId", prefix + "person.contactId must be a positive id");
        }
        if (c.person().url() != null && c.person().url().length() > 2048) {
            throw ApiProblem.badRequest(prefix + "person.url", prefix + "person.url is longer than 2048 characters");
        }
        return new Ledger.NewInteraction(c.person(), c.direction(), c.kind(), c.url(), c.threadUrl(), occurred,
                c.note(), c.source(), c.externalId());
    }

    /** The field's name is put together only for an error: a batch checks a thousand items. */
    private static void checkUrl(String prefix, String name, String url) {
        if (url == null) return;
        if (url.length() > 2048) throw ApiProblem.badRequest(prefix + name, prefix + name + " is longer than 2048 characters");
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) throw new URISyntaxException(url, "not http");
        } catch (URISyntaxException e) {
            throw ApiProblem.badRequest(prefix + name, prefix + name + " must be an http(s) URL");
        }
    }

    private static void checkLength(String prefix, String name, String value, int max) {
        if (value != null && value.length() > max) {
            throw ApiProblem.badRequest(prefix + name, prefix + name + " must be at most " + max + " characters");
        }
    }

    private static long lockKey(long userId, String key) {
        return ByteBuffer.wrap(Secrets.sha256(userId + "\n" + key)).getLong();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }


}
