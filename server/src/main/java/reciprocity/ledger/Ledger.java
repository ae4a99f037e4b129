package reciprocity.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import reciprocity.account.Settings;
import reciprocity.db.BinaryCopy;
import reciprocity.db.ChangeFeed;
import reciprocity.db.Rows;
import reciprocity.platforms.InvalidHandleException;
import reciprocity.platforms.LinkParser;
import reciprocity.platforms.MalformedUrlException;
import reciprocity.platforms.ParsedLink;
import reciprocity.platforms.Platform;
import reciprocity.web.ApiProblem;

/**
 * The rules of the ledger: who a person is, what an interaction changes (balance, last touch, obligations opened and
 * resolved), and what the user owes each person now. Every method runs inside the caller's transaction and every
 * statement is scoped to the user.
 *
 * <p>Time-dependent obligations are stored as windows so reads need no background job: a keep-in-touch row is written
 * ahead of time and becomes visible at {@code opened_at}; a give-back row ends by itself at {@code closes_at}, the moment
 * the decaying balance falls below the threshold.
 */
public final class Ledger {
    public static final Set<String> REPLY_KINDS = Set.of("comment", "reply", "mention", "message");
    public static final Set<String> DIRECTIONS = Set.of("inbound", "outbound");
    private static final String RESOLVER_KINDS = "('comment', 'reply', 'mention', 'message')";

    /** Visible and open at :now (snoozes that ran out count as open again). */
    public static final String OPEN_AT_NOW = " (" + """
            o.state in ('open', 'snoozed') and (o.state = 'open' or o.snoozed_until <= :now)
            and o.opened_at <= :now and (o.closes_at is null or o.closes_at > :now)""" + ") ";

    /** The state a person sees at :now; 'pending' rows (keep-in-touch not yet due) are never shown. */
    public static final String EFFECTIVE_STATE = " " + """
            case when o.state = 'resolved' or (o.closes_at is not null and o.closes_at <= :now) then 'resolved'
                 when o.state = 'dismissed' then 'dismissed'
                 when o.state = 'snoozed' and o.snoozed_until > :now then 'snoozed'
                 when o.opened_at > :now then 'pending'
                 else 'open' end""" + " ";

    /** Most urgent first: overdue replies, replies due, give-back, keep-in-touch. */
    public static final String URGENCY_RANK = " " + """
            case when o.type = 'reply' and o.opened_at <= :overdueBefore then 0
                 when o.type = 'reply' then 1 when o.type = 'giveBack' then 2 else 3 end""" + " ";

    /** {@code :n} draws of a table's identity sequence (looked up once, not per row). */
    private static final String NEXT_IDS =
            "select nextval(q.s) from (select pg_get_serial_sequence('%s', 'id')::regclass s) q, generate_series(1, :n)";

    public static final org.jdbi.v3.core.mapper.RowMapper<Interaction> INTERACTION =
            org.jdbi.v3.core.mapper.reflect.ConstructorMapper.of(Interaction.class);

    private final LinkParser links;
    private final ObjectMapper json;

    public Ledger(LinkParser links, ObjectMapper json) {
        this.links = links;
        this.json = json;
    }

    public LinkParser links() {
        return links;
    }

    // ------------------------------------------------------------------------------------------------ people

    /** A person found or created: the contact, and the platform the reference named (null for a contactId). */
    public record Resolved(long contactId, String platform, boolean created) {}

    /** Parses a URL for a person; 400 if it is not a URL, 422 if it names no person on a supported site. */
    public ParsedLink personLink(String url, Settings settings, String field) {
        try {
            return links.parse(url, settings.mastodonInstanceSet())
                    .orElseThrow(() -> ApiProblem.unprocessable(field, field + " is not a person or a person's post on a supported site"));
        } catch (MalformedUrlException e) {
            throw ApiProblem.badRequest(field, field + ": " + e.getMessage());
        }
    }

    /** `(platform, handle)` in canonical form from either a URL or a typed pair; errors name {@code field}. */
    public Map.Entry<Platform, String> handleOf(PersonRef ref, Settings settings, String field) {
        if (ref.url() != null) {
            if (ref.platform() != null || ref.handle() != null) {
                throw ApiProblem.badRequest(field, field + " takes either url or platform and handle, not both");
            }
            ParsedLink link = personLink(ref.url(), settings, field + ".url");
            return Map.entry(link.platform(), link.handle());
        }
        if (ref.platform() == null || ref.handle() == null) {
            throw ApiProblem.badRequest(field, field + " needs url, or platform and handle");
        }
        Platform platform = Platform.fromId(ref.platform())
                .orElseThrow(() -> ApiProblem.badRequest(field + ".platform", field + ".platform must be one of x, linkedin, facebook, instagram, mastodon, reddit, github, bluesky, threads, youtube"));
        if (ref.handle().length() > 200) throw ApiProblem.badRequest(field + ".handle", field + ".handle is too long");
        try {
            return Map.entry(platform, LinkParser.canonicalHandle(platform, ref.handle()));
        } catch (InvalidHandleException e) {
            throw ApiProblem.badRequest(field + ".handle", e.getMessage());
        }
    }

    /** The contact an interaction is with, creating it (named after the handle) when the person is new. */
    public Resolved resolve(Handle h, long userId, Settings settings, PersonRef ref, Instant now) {
        if (ref == null) throw ApiProblem.badRequest("person", "person is required: {url}, {platform, handle} or {contactId}");
        if (ref.contactId() != null) {
            if (ref.url() != null || ref.platform() != null || ref.handle() != null) {
                throw ApiProblem.badRequest("person", "person takes one of {url}, {platform, handle} or {contactId}");
            }
            boolean exists = h.createQuery("select count(*) from contacts where user_id = :u and id = :id")
                    .bind("u", userId).bind("id", ref.contactId()).mapTo(Integer.class).one() > 0;
            if (!exists) throw ApiProblem.notFound("Contact " + ref.contactId());
            return new Resolved(ref.contactId(), null, false);
        }
        Map.Entry<Platform, String> key = handleOf(ref, settings, "person");
        String platform = key.getKey().id();
        String handle = key.getValue();
        if (isIdentity(h, userId, platform, handle)) {
            throw ApiProblem.unprocessable("person", "That is your own " + platform + " identity (" + handle + "); interactions are with other people");
        }
        Optional<Long> existing = contactOfHandle(h, userId, platform, handle);
        if (existing.isPresent()) return new Resolved(existing.get(), platform, false);
        long contactId = insertContact(h, userId, handle, null, List.of(), null, now);
        boolean inserted = h.createUpdate("""
                        insert into handles (user_id, contact_id, platform, handle, created_at) values (:u, :c, :p, :h, :now)
                        on conflict (user_id, platform, handle) do nothing""")
                .bind("u", userId).bind("c", contactId).bind("p", platform).bind("h", handle).bind("now", now).execute() == 1;
        if (!inserted) {
            // Someone else created this person a moment ago: use theirs.
            h.createUpdate("delete from contacts where user_id = :u and id = :c").bind("u", userId).bind("c", contactId).execute();
            return new Resolved(contactOfHandle(h, userId, platform, handle).orElseThrow(), platform, false);
        }
        return new Resolved(contactId, platform, true);
    }

    public long insertContact(Handle h, long userId, String displayName, String notes, List<String> tags, Integer cadenceDays, Instant now) {
        long id = h.createUpdate("""
                        insert into contacts (user_id, display_name, notes, tags, cadence_days, balance_at, created_at, updated_at)
                        values (:u, :name, :notes, :tags, :cadence, :now, :now, :now)""")
                .bind("u", userId).bind("name", displayName).bind("notes", notes).bind("tags", tags.toArray(String[]::new))
                .bind("cadence", cadenceDays).bind("now", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return id;
    }

    public Optional<Long> contactOfHandle(Handle h, long userId, String platform, String handle) {
        return h.createQuery("select contact_id from handles where user_id = :u and platform = :p and handle = :h")
                .bind("u", userId).bind("p", platform).bind("h", handle).mapTo(Long.class).findOne();
    }

    public boolean isIdentity(Handle h, long userId, String platform, String handle) {
        return h.createQuery("select count(*) from identities where user_id = :u and platform = :p and handle = :h")
                .bind("u", userId).bind("p", platform).bind("h", handle).mapTo(Integer.class).one() > 0;
    }

    // ------------------------------------------------------------------------------------------------ writes

    /**
     * Serialises ledger writes of one user until the transaction ends. Two writers touching the same contacts in
     * different orders would otherwise deadlock; one user's writes are rare enough to take turns.
     *
     * <p>Taking the lock also announces the user on {@link ChangeFeed#CHANNEL} when the transaction commits (nothing is
     * sent on rollback), so every process drops its cached read model of the user. The rows only the ledger inserts,
     * interactions and obligations, rely on this: they have no insert trigger of their own (V15).
     */
    public static void lockUser(Handle h, long userId) {
        h.execute("select pg_advisory_xact_lock(?), pg_notify('" + ChangeFeed.CHANNEL + "', ?)", userId, Long.toString(userId));
    }

    /** A validated new interaction. */
    public record NewInteraction(PersonRef person, String direction, String kind, String url, String threadUrl,
                                 Instant occurredAt, String note, String source, String externalId) {}

    /** The stored row. */
    public record Interaction(long id, long contactId, String direction, String kind, String platform, String url,
                              String threadUrl, Instant occurredAt, String note, String source, String externalId,
                              Instant createdAt) {}

    /** An interaction and whether this call created it (false: an earlier one with the same externalId). */
    public record Recorded(Interaction interaction, boolean created) {}

    /** Stores one interaction and brings the person's ledger up to date, in the caller's transaction. */
    public Recorded record(Handle h, long userId, Settings settings, NewInteraction in, Instant now) {
        BulkResult r = recordBulk(h, userId, settings, List.of(in), now).get(0);
        if ("error".equals(r.status())) throw r.problem();
        return new Recorded(r.interaction(), "created".equals(r.status()));
    }

    /** One item's outcome in {@link #recordBulk}: created, duplicate (with the stored interaction) or error. */
    public record BulkResult(String status, Interaction interaction, ApiProblem problem) {}

    /**
     * When a balance decaying from {@code %1$s} at {@code %2$s} falls below the give-back threshold (null: below
     * already); binds :threshold and :hs.
     */
    private static final String GIVE_BACK_UNTIL = "case when %1$s >= :threshold and %1$s > 0"
            + " then %2$s + make_interval(secs => :hs * ln(%1$s / :threshold) / ln(2.0)) end";

    /**
     * A person's new balance at {@code y.at}: their stored balance decayed from {@code y.balance_at}, plus the new rows'
     * weight {@code y.w} (already summed at {@code y.tmax}) decayed from there; binds :hs.
     */
    private static final String DECAYED_SUM = "y.balance * power(2.0, greatest(-1000.0, -extract(epoch from (y.at - y.balance_at)) / :hs))"
            + " + y.w * power(2.0, greatest(-1000.0, -extract(epoch from (y.at - y.tmax)) / :hs))";

    /** The SQL for a timestamptz from microseconds since the epoch (exact: integer microseconds). */
    private static final String FROM_MICROS = "(timestamptz 'epoch' + %s * interval '1 microsecond')";

    /**
     * Records many interactions for one user with a handful of set-based statements, whatever their number: people
     * are resolved in bulk, rows go in with one INSERT, and balances, reply obligations and windows are brought up to
     * date per touched contact. An item that cannot be recorded (unknown contact, not a person, the user's own
     * identity) gets an error and writes nothing; the others are unaffected.
     *
     * <p>The methods of the bulk write keep every per-row loop in a small method of its own and have none themselves.
     * They run once per batch, while their loops run once per row: a loop in one of them had it compiled on the stack
     * at each loop and again whole, with every statement it builds inlined, many times a run (see README, Speed).
     */
    public List<BulkResult> recordBulk(Handle h, long userId, Settings s, List<NewInteraction> items, Instant now) {
        lockUser(h, userId);
        BulkCall c = new BulkCall(items);
        readPeople(c, s);
        Set<Long> existingContacts = c.askedContacts.isEmpty() ? Set.of() : Set.copyOf(h.createQuery(
                        "select id from contacts where user_id = :u and id = any(:ids)")
                .bind("u", userId).bind("ids", c.askedContacts.toArray(Long[]::new)).mapTo(Long.class).list());
        if (!c.keys.isEmpty()) findPeople(h, userId, c);
        c.sortOut(existingContacts);
        // An item whose (platform, externalId) is stored already, or came earlier in this call, is a duplicate of that
        // row. The user's lock is held and every insert takes it, so what is checked here cannot change before the COPY.
        pendingOf(c, s);
        if (c.pending.isEmpty()) return List.of(c.out);
        if (c.pending.size() >= COPY_FROM && h.isInTransaction()) {
            // Most big batches (imports, syncs, the extension's captures) hold nothing stored already, and the unique
            // index on (platform, externalId) finds what is while the rows go in. So a big batch is first written
            // without probing for each row beforehand, in a savepoint; one that meets a stored row is rolled back
            // and written again with the probe.
            h.savepoint(OPTIMISTIC);
            try {
                List<BulkResult> written = write(h, userId, s, c, new HashMap<>(), now);
                h.releaseSavepoint(OPTIMISTIC);
                return written;
            } catch (UnableToExecuteStatementException e) {
                if (!isUniqueViolation(e)) throw e;
                h.rollbackToSavepoint(OPTIMISTIC); // Jdbi forgets the savepoint; PostgreSQL's ends with the transaction
            }
        }
        return write(h, userId, s, c, storedByExternal(h, userId, c), now);
    }

    /**
     * One {@link #recordBulk} call's items and what is known of each: its outcome once decided, its contact, its
     * platform and its person's key ({@code "platform handle"}, null for a contactId).
     */
    private static final class BulkCall {
        final List<NewInteraction> items;
        final int n;
        final BulkResult[] out;
        final long[] contact;
        final String[] platform;
        final String[] key;
        /** Each person named by (platform, handle), by key, in the order of the items. */
        final Map<String, Map.Entry<Platform, String>> keys = new LinkedHashMap<>();
        final Set<Long> askedContacts = new java.util.HashSet<>();
        /** The stored person of each key that has one. */
        final Map<String, Long> contactOfKey = new HashMap<>();
        /** Keys that are the user's own identities. */
        final Set<String> mine = new java.util.HashSet<>();
        /** Keys of people to create. */
        final Set<String> newKeys = new java.util.LinkedHashSet<>();
        /** The items still to write, in order. */
        final List<Integer> pending = new ArrayList<>();

        BulkCall(List<NewInteraction> items) {
            this.items = items;
            this.n = items.size();
            this.out = new BulkResult[n];
            this.contact = new long[n];
            this.platform = new String[n];
            this.key = new String[n];
        }

        /** Items whose contact is not the user's, or whose person is the user, fail; new people are noted. */
        void sortOut(Set<Long> existingContacts) {
            for (int i = 0; i < n; i++) {
                if (out[i] != null) continue;
                if (key[i] == null) {
                    if (!existingContacts.contains(contact[i])) out[i] = new BulkResult("error", null, ApiProblem.notFound("Contact " + contact[i]));
                    continue;
                }
                if (mine.contains(key[i])) {
                    out[i] = new BulkResult("error", null, ApiProblem.unprocessable("person",
                            "That is your own " + platform[i] + " identity; interactions are with other people"));
                    continue;
                }
                if (!contactOfKey.containsKey(key[i])) newKeys.add(key[i]);
            }
        }

        /** The key of an item's row in the unique index on interactions, or null without an externalId. */
        String externalOf(int i) {
            String ext = items.get(i).externalId();
            return ext == null ? null : externalKey(platform[i], ext);
        }

        /**
         * For each new person, the newest of the rows this call writes for them and those rows' signed weights decayed
         * to it (items already stored, in {@code stored}, or repeated in the call write nothing).
         */
        NewPeople newPeople(Set<String> stored, Settings s) {
            Set<String> seen = new java.util.HashSet<>(stored);
            Map<String, Instant> newest = new HashMap<>();
            List<Integer> written = new ArrayList<>();
            for (int i : pending) {
                String ext = externalOf(i);
                if (ext != null && !seen.add(ext)) continue;
                if (key[i] == null || !newKeys.contains(key[i])) continue;
                written.add(i);
                newest.merge(key[i], items.get(i).occurredAt().truncatedTo(ChronoUnit.MICROS), (x, y) -> x.isAfter(y) ? x : y);
            }
            Map<String, Double> weight = new HashMap<>();
            for (int i : written) {
                NewInteraction in = items.get(i);
                weight.merge(key[i], signedWeight(in.direction(), in.kind(), in.occurredAt().truncatedTo(ChronoUnit.MICROS),
                        newest.get(key[i]), s), Double::sum);
            }
            return new NewPeople(newest, weight);
        }

        /** Each item named by (platform, handle) gets its person's contact. */
        void fillContacts() {
            for (int i = 0; i < n; i++) {
                if (out[i] == null && key[i] != null) contact[i] = contactOfKey.get(key[i]);
            }
        }

        /**
         * The rows to insert, with the {@code ids} drawn for them: pending items not in {@code byExternal} (stored rows,
         * and the rows of this call as they are made). Each item's outcome is set.
         */
        List<Interaction> freshRows(long[] ids, Map<String, Interaction> byExternal, Instant created) {
            List<Interaction> fresh = new ArrayList<>(pending.size());
            for (int i : pending) {
                NewInteraction in = items.get(i);
                String ext = externalOf(i);
                Interaction earlier = ext == null ? null : byExternal.get(ext);
                if (earlier != null) {
                    out[i] = new BulkResult("duplicate", earlier, null);
                    continue;
                }
                // PostgreSQL keeps microseconds; cut here so the row returned is the row stored.
                Interaction r = new Interaction(ids[fresh.size()], contact[i], in.direction(), in.kind(), platform[i], in.url(),
                        in.threadUrl(), in.occurredAt().truncatedTo(ChronoUnit.MICROS), in.note(), in.source(), in.externalId(), created);
                fresh.add(r);
                if (ext != null) byExternal.put(ext, r);
                out[i] = new BulkResult("created", r, null);
            }
            return fresh;
        }
    }

    /** What {@link BulkCall#newPeople} finds: per new person's key, their newest row and their rows' summed weight. */
    private record NewPeople(Map<String, Instant> newest, Map<String, Double> weight) {}

    /** Reads each item's person: a contactId to check, or the (platform, handle) it names; a bad reference fails the item. */
    private void readPeople(BulkCall c, Settings s) {
        for (int i = 0; i < c.n; i++) {
            PersonRef ref = c.items.get(i).person();
            try {
                if (ref == null) throw ApiProblem.badRequest("person", "person is required: {url}, {platform, handle} or {contactId}");
                if (ref.contactId() != null) {
                    if (ref.url() != null || ref.platform() != null || ref.handle() != null) {
                        throw ApiProblem.badRequest("person", "person takes one of {url}, {platform, handle} or {contactId}");
                    }
                    c.contact[i] = ref.contactId();
                    c.askedContacts.add(ref.contactId());
                } else {
                    Map.Entry<Platform, String> k = handleOf(ref, s, "person");
                    c.key[i] = k.getKey().id() + " " + k.getValue();
                    c.keys.putIfAbsent(c.key[i], k);
                    c.platform[i] = k.getKey().id();
                }
            } catch (ApiProblem p) {
                c.out[i] = new BulkResult("error", null, p);
            }
        }
    }

    /** The stored person of each (platform, handle) named, and which of them are the user's own identities. */
    private static void findPeople(Handle h, long userId, BulkCall c) {
        String[] ps = c.keys.values().stream().map(e -> e.getKey().id()).toArray(String[]::new);
        String[] hs = c.keys.values().stream().map(Map.Entry::getValue).toArray(String[]::new);
        h.createQuery("""
                        select k.p, k.h, hd.contact_id, (i.id is not null) self
                        from unnest(:ps, :hs) as k(p, h)
                        left join handles hd on hd.user_id = :u and hd.platform = k.p and hd.handle = k.h
                        left join identities i on i.user_id = :u and i.platform = k.p and i.handle = k.h""")
                .bind("u", userId).bind("ps", ps).bind("hs", hs)
                .map((rs, ctx) -> {
                    String k = rs.getString("p") + " " + rs.getString("h");
                    if (rs.getBoolean("self")) c.mine.add(k);
                    long id = rs.getLong("contact_id");
                    if (!rs.wasNull()) c.contactOfKey.put(k, id);
                    return k;
                }).list();
    }

    /** Notes the items still to write, and the platform of those that named a person by contactId (from their URL). */
    private void pendingOf(BulkCall c, Settings s) {
        for (int i = 0; i < c.n; i++) {
            if (c.out[i] != null) continue;
            c.pending.add(i);
            if (c.platform[i] == null) c.platform[i] = platformOfUrl(c.items.get(i).url(), s);
        }
    }

    private static final String OPTIMISTIC = "record_bulk";

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException q && "23505".equals(q.getSQLState())) return true;
        }
        return false;
    }

    /**
     * The rest of {@link #recordBulk} once people are resolved: items whose externalId is in {@code byExternal} (stored
     * rows) or came earlier in the call are duplicates; new people are created and the rows written.
     */
    private List<BulkResult> write(Handle h, long userId, Settings s, BulkCall c, Map<String, Interaction> byExternal, Instant now) {
        Instant created = now.truncatedTo(ChronoUnit.MICROS);
        Set<Long> newPeople = new java.util.HashSet<>();
        Set<Long> newGiving = new java.util.HashSet<>();
        if (!c.newKeys.isEmpty()) {
            // New people are stored with the state their rows in this call give them (written as the update in
            // applyBulk would), which spares updating every row just inserted: an update that moves
            // last_interaction_at writes a new entry in each of the contacts' indexes.
            NewPeople state = c.newPeople(byExternal.keySet(), s);
            c.contactOfKey.putAll(createPeople(h, userId, s, new ArrayList<>(c.newKeys), c.keys, state, newPeople, newGiving, now, created));
        }
        c.fillContacts();
        List<Interaction> fresh = c.freshRows(nextIds(h, "interactions", c.pending.size()), byExternal, created);
        if (fresh.isEmpty()) return List.of(c.out);
        writeInteractions(h, userId, fresh);
        applyBulk(h, userId, s, fresh, newPeople, newGiving, created);
        return List.of(c.out);
    }

    /** From this many rows on, COPY beats a batch of INSERTs; below it, COPY's extra round trip and set-up cost more. */
    private static final int COPY_FROM = 32;

    private static final String INTERACTION_COLUMNS =
            "id, user_id, contact_id, direction, kind, platform, url, thread_url, occurred_at, note, source, external_id, created_at";
    /** A reply obligation's id is its interaction's (V10): the primary key keeps it to one per interaction. */
    private static final String REPLY_COLUMNS = "id, user_id, contact_id, type, interaction_id, state, opened_at, resolved_at, url, created_at";

    /** Stores new interaction rows (ids drawn, duplicates already excluded). */
    private static void writeInteractions(Handle h, long userId, List<Interaction> rows) {
        if (rows.size() >= COPY_FROM) {
            copyInteractions(userId, rows).copy(h, "copy interactions (" + INTERACTION_COLUMNS + ") from stdin (format binary)");
            return;
        }
        PreparedBatch batch = h.prepareBatch("insert into interactions (" + INTERACTION_COLUMNS + ") overriding system value"
                + " values (:id, :u, :c, :d, :k, :p, :url, :thread, :at, :note, :source, :ext, :created)");
        bindInteractions(batch, userId, rows);
        batch.execute();
    }

    private static BinaryCopy copyInteractions(long userId, List<Interaction> rows) {
        BinaryCopy copy = new BinaryCopy();
        for (Interaction r : rows) {
            copy.row(13).bigint(r.id()).bigint(userId).bigint(r.contactId()).text(r.direction()).text(r.kind()).text(r.platform())
                    .text(r.url()).text(r.threadUrl()).timestamptz(r.occurredAt()).text(r.note()).text(r.source())
                    .text(r.externalId()).timestamptz(r.createdAt());
        }
        return copy;
    }

    private static void bindInteractions(PreparedBatch batch, long userId, List<Interaction> rows) {
        for (Interaction r : rows) {
            batch.bind("id", r.id()).bind("u", userId).bind("c", r.contactId()).bind("d", r.direction()).bind("k", r.kind())
                    .bind("p", r.platform()).bind("url", r.url()).bind("thread", r.threadUrl()).bind("at", r.occurredAt())
                    .bind("note", r.note()).bind("source", r.source()).bind("ext", r.externalId()).bind("created", r.createdAt()).add();
        }
    }

    /** Stores the reply obligations of {@code owed} (new inbound replies), each resolved at its answer or open (null). */
    private static void writeReplies(Handle h, long userId, List<Interaction> owed, List<Instant> answeredAt, Instant now) {
        if (owed.isEmpty()) return;
        if (owed.size() >= COPY_FROM) {
            copyReplies(userId, owed, answeredAt, now).copy(h, "copy obligations (" + REPLY_COLUMNS + ") from stdin (format binary)");
            return;
        }
        PreparedBatch batch = h.prepareBatch("insert into obligations (" + REPLY_COLUMNS + ")"
                + " values (:i, :u, :c, 'reply', :i, :state, :opened, :resolved, :url, :now)");
        bindReplies(batch, userId, owed, answeredAt, now);
        batch.execute();
    }

    private static BinaryCopy copyReplies(long userId, List<Interaction> owed, List<Instant> answeredAt, Instant now) {
        BinaryCopy copy = new BinaryCopy();
        for (int j = 0; j < owed.size(); j++) {
            Interaction r = owed.get(j);
            Instant answer = answeredAt.get(j);
            copy.row(10).bigint(r.id()).bigint(userId).bigint(r.contactId()).text("reply").bigint(r.id()).text(answer == null ? "open" : "resolved")
                    .timestamptz(r.occurredAt()).timestamptz(answer).text(r.url() != null ? r.url() : r.threadUrl()).timestamptz(now);
        }
        return copy;
    }

    private static void bindReplies(PreparedBatch batch, long userId, List<Interaction> owed, List<Instant> answeredAt, Instant now) {
        for (int j = 0; j < owed.size(); j++) {
            Interaction r = owed.get(j);
            Instant answer = answeredAt.get(j);
            batch.bind("u", userId).bind("c", r.contactId()).bind("i", r.id()).bind("state", answer == null ? "open" : "resolved")
                    .bind("opened", r.occurredAt()).bind("resolved", answer).bind("url", r.url() != null ? r.url() : r.threadUrl())
                    .bind("now", now).add();
        }
    }

    /**
     * How many ids one draw of an identity sequence stands for: the increment of interactions' (V9), contacts' and
     * handles' (V15) sequences.
     */
    static final int ID_BLOCK = 1000;

    /** {@code n} unused ids of {@code table}: one sequence draw per {@link #ID_BLOCK}, not one per row. */
    private static long[] nextIds(Handle h, String table, int n) {
        int blocks = (n + ID_BLOCK - 1) / ID_BLOCK;
        List<Long> starts = h.createQuery(NEXT_IDS.formatted(table)).bind("n", blocks).mapTo(Long.class).list();
        return idsFrom(starts, n);
    }

    private static Long[] boxed(long[] ids) {
        Long[] out = new Long[ids.length];
        for (int j = 0; j < ids.length; j++) out[j] = ids[j];
        return out;
    }

    /** {@code n} ids from blocks of {@link #ID_BLOCK} starting at {@code starts}. */
    private static long[] idsFrom(List<Long> starts, int n) {
        long[] ids = new long[n];
        for (int j = 0; j < n; j++) ids[j] = starts.get(j / ID_BLOCK) + j % ID_BLOCK;
        return ids;
    }

    /** The key of the unique index on interactions: (platform or '', externalId). */
    private static String externalKey(String platform, String externalId) {
        return (platform == null ? "" : platform) + " " + externalId;
    }

    /** The user's stored interactions with the externalIds of the pending items, by {@link #externalKey}. */
    private static Map<String, Interaction> storedByExternal(Handle h, long userId, BulkCall c) {
        List<String> ps = new ArrayList<>(), es = new ArrayList<>();
        externalIdsOf(c, ps, es);
        Map<String, Interaction> out = new HashMap<>();
        if (es.isEmpty()) return out;
        // A lateral probe per key keeps this an index lookup per item however many rows the user has.
        h.createQuery("""
                        select i.* from unnest(:ps, :es) as k(p, e)
                        cross join lateral (select * from interactions i where i.user_id = :u and coalesce(i.platform, '') = k.p
                                              and i.external_id = k.e limit 1) i""")
                .bind("u", userId).bind("ps", ps.toArray(String[]::new)).bind("es", es.toArray(String[]::new))
                .map(INTERACTION).forEach(r -> out.put(externalKey(r.platform(), r.externalId()), r));
        return out;
    }

    /** The (platform or '', externalId) of each pending item that has an externalId. */
    private static void externalIdsOf(BulkCall c, List<String> ps, List<String> es) {
        for (int i : c.pending) {
            if (c.items.get(i).externalId() == null) continue;
            ps.add(c.platform[i] == null ? "" : c.platform[i]);
            es.add(c.items.get(i).externalId());
        }
    }

    /**
     * Stores a new person with the state their first rows give them: no balance at :now, plus the rows' weight :ws
     * summed at their newest :ts (null: no rows), the balance arithmetic of {@link #UPDATE_TOUCHED}.
     */
    private static final String INSERT_PEOPLE = """
            insert into contacts (id, user_id, display_name, balance, balance_at, last_interaction_at, give_back_until,
                                  created_at, updated_at) overriding system value
            select d.id, :u, d.name, coalesce(d.b, 0), d.at, d.tmax, %s, :now,
                   case when d.tmax is null then cast(:now as timestamptz) else cast(:written as timestamptz) end
            from (select y.id, y.name, y.tmax, y.at,
                         %s b
                  from (select x.id, x.name, cast(0 as float8) balance, cast(:now as timestamptz) balance_at, x.w,
                               %s tmax, greatest(cast(:now as timestamptz), %s) at
                        from unnest(:ids, :names, :ts, :ws) as x(id, name, t, w)) y) d
            returning id, give_back_until > :written giving"""
            .formatted(GIVE_BACK_UNTIL.formatted("d.b", "d.at"), DECAYED_SUM, FROM_MICROS.formatted("x.t"), FROM_MICROS.formatted("x.t"));

    /**
     * Creates a contact, named after the handle, for each new person in three statements. A handle another
     * transaction claimed meanwhile keeps its contact, and ours is dropped.
     */
    private Map<String, Long> createPeople(Handle h, long userId, Settings s, List<String> newKeys,
                                           Map<String, Map.Entry<Platform, String>> keys, NewPeople state, Set<Long> created,
                                           Set<Long> giving, Instant now, Instant writtenAt) {
        int k = newKeys.size();
        Long[] ids = boxed(nextIds(h, "contacts", k));
        Long[] handleIds = boxed(nextIds(h, "handles", k));
        String[] ps = new String[k], hs = new String[k];
        Long[] tmax = new Long[k];
        Double[] w = new Double[k];
        describePeople(newKeys, keys, state, ps, hs, tmax, w);
        // The balance arithmetic is applyBulk's update, from a balance of 0 at :now; a person whose items were all
        // duplicates has no rows and keeps that.
        Set<Long> givingNow = new java.util.HashSet<>();
        h.createQuery(INSERT_PEOPLE)
                .bind("u", userId).bind("ids", ids).bind("names", hs).bind("ts", tmax).bind("ws", w).bind("now", now)
                .bind("written", writtenAt).bind("hs", halfLifeSeconds(s)).bind("threshold", s.giveBackThreshold())
                .map((rs, ctx) -> {
                    if (rs.getBoolean("giving")) givingNow.add(rs.getLong("id"));
                    return rs.getLong("id");
                }).list();
        Set<Long> kept = Set.copyOf(h.createQuery("""
                        insert into handles (id, user_id, contact_id, platform, handle, created_at) overriding system value
                        select t.i, :u, t.c, t.p, t.h, :now from unnest(:his, :ids, :ps, :hs) as t(i, c, p, h)
                        on conflict (user_id, platform, handle) do nothing
                        returning contact_id""")
                .bind("u", userId).bind("his", handleIds).bind("ids", ids).bind("ps", ps).bind("hs", hs).bind("now", now).mapTo(Long.class).list());
        Map<String, Long> out = new HashMap<>();
        List<Long> lost = keptPeople(newKeys, ids, kept, givingNow, out, created, giving);
        if (!lost.isEmpty()) {
            h.createUpdate("delete from contacts where user_id = :u and id = any(:ids)").bind("u", userId)
                    .bind("ids", lost.toArray(Long[]::new)).execute();
            theirPeople(h, userId, newKeys, ids, kept, ps, hs, out);
        }
        return out;
    }

    /** Per new person: platform, handle, newest row (micros, null: none) and summed weight. */
    private static void describePeople(List<String> newKeys, Map<String, Map.Entry<Platform, String>> keys, NewPeople state,
                                       String[] ps, String[] hs, Long[] tmax, Double[] w) {
        for (int j = 0; j < newKeys.size(); j++) {
            String key = newKeys.get(j);
            ps[j] = keys.get(key).getKey().id();
            hs[j] = keys.get(key).getValue();
            Instant t = state.newest().get(key);
            tmax[j] = t == null ? null : micros(t);
            w[j] = state.weight().get(key);
        }
    }

    /** The people whose handle was ours to claim go into {@code out}; the others' ids are returned. */
    private static List<Long> keptPeople(List<String> newKeys, Long[] ids, Set<Long> kept, Set<Long> givingNow,
                                         Map<String, Long> out, Set<Long> created, Set<Long> giving) {
        List<Long> lost = new ArrayList<>();
        for (int j = 0; j < ids.length; j++) {
            if (kept.contains(ids[j])) {
                out.put(newKeys.get(j), ids[j]);
                created.add(ids[j]);
                if (givingNow.contains(ids[j])) giving.add(ids[j]);
            } else {
                lost.add(ids[j]);
            }
        }
        return lost;
    }

    /** The people another transaction created meanwhile, for the handles it claimed first. */
    private void theirPeople(Handle h, long userId, List<String> newKeys, Long[] ids, Set<Long> kept, String[] ps, String[] hs,
                             Map<String, Long> out) {
        for (int j = 0; j < ids.length; j++) {
            if (!kept.contains(ids[j])) out.put(newKeys.get(j), contactOfHandle(h, userId, ps[j], hs[j]).orElseThrow());
        }
    }

    /**
     * What new rows change per contact: the newest row, the rows' signed weights decayed to it, the time of the oldest
     * inbound comment, reply, mention or message, and the times of the outbound ones (the answers, sorted).
     */
    private record Touches(Map<Long, Instant> newest, Map<Long, Double> weight, Map<Long, Instant> minInbound,
                           Map<Long, List<Instant>> newAnswers) {
        static Touches of(List<Interaction> fresh, Settings s) {
            Map<Long, Instant> newest = new HashMap<>();
            for (Interaction r : fresh) newest.merge(r.contactId(), r.occurredAt(), (x, y) -> x.isAfter(y) ? x : y);
            Map<Long, Double> weight = new HashMap<>();
            Map<Long, Instant> minInbound = new HashMap<>();
            Map<Long, List<Instant>> newAnswers = new HashMap<>();
            for (Interaction r : fresh) {
                weight.merge(r.contactId(), signedWeight(r.direction(), r.kind(), r.occurredAt(), newest.get(r.contactId()), s), Double::sum);
                if (REPLY_KINDS.contains(r.kind())) {
                    if ("inbound".equals(r.direction())) minInbound.merge(r.contactId(), r.occurredAt(), (x, y) -> x.isBefore(y) ? x : y);
                    else newAnswers.computeIfAbsent(r.contactId(), k -> new ArrayList<>()).add(r.occurredAt());
                }
            }
            newAnswers.values().forEach(java.util.Collections::sort);
            return new Touches(newest, weight, minInbound, newAnswers);
        }
    }

    /**
     * Moves the touched people's balance, last touch and give-back window by the new rows: the old sum decayed to the
     * new reference time plus the new rows' weight (summed at their newest, :ts) decayed to it; and the moment the
     * decaying balance falls below the give-back threshold (null: below already).
     */
    private static final String UPDATE_TOUCHED = """
            update contacts c set balance = d.b, balance_at = d.at, last_interaction_at = greatest(c.last_interaction_at, d.tmax),
              give_back_until = %s, updated_at = :now
            from (select y.id, y.tmax, y.at,
                         %s b
                  from (select c2.id, c2.balance, c2.balance_at, x.w, %s tmax, greatest(c2.balance_at, %s) at
                        from unnest(:cs, :ts, :ws) as x(c, t, w) join contacts c2 on c2.id = x.c and c2.user_id = :u) y) d
            where c.id = d.id
            returning c.id, c.give_back_until > :now giving, c.cadence_days is not null cadence,
              exists (select 1 from obligations o where o.contact_id = c.id and o.type = 'giveBack'
                        and o.state in ('open', 'snoozed', 'dismissed')) episode"""
            .formatted(GIVE_BACK_UNTIL.formatted("d.b", "d.at"), DECAYED_SUM, FROM_MICROS.formatted("x.t"), FROM_MICROS.formatted("x.t"));

    /**
     * Each person's outbound answers at or after :since, the time of their oldest new inbound comment, reply, mention or
     * message. One probe of interactions_contact per person, whatever the statistics say (a join here once took a plan
     * that read all of the user's rows): the ORDER BY keeps the subquery from being flattened into a join, and the user
     * filter (redundant: these are the user's contacts) is kept out of the index choice.
     */
    private static final String ANSWERS_SINCE = """
            select q.c contact_id, a.occurred_at from unnest(:cs, :since) as q(c, t)
            cross join lateral (select i.occurred_at from interactions i
                                where i.contact_id = q.c and i.occurred_at >= %s
                                  and i.user_id + 0 = :u and i.direction = 'outbound' and i.kind in %s
                                order by i.contact_id, i.occurred_at) a"""
            .formatted(FROM_MICROS.formatted("q.t"), RESOLVER_KINDS);

    /** Each person's reply obligations an answer at or after :first may settle (open, or settled after it). */
    private static final String SETTLEABLE_REPLIES = """
            select o.id, q.c contact_id, o.opened_at, o.resolved_at, o.state
            from unnest(:cs, :first) as q(c, t)
            cross join lateral (select o.id, o.opened_at, o.resolved_at, o.state from obligations o
                                where o.contact_id = q.c and o.user_id + 0 = :u and o.type = 'reply'
                                  and (o.state in ('open', 'snoozed') or (o.state = 'resolved' and o.resolved_at > %s))
                                order by o.contact_id) o"""
            .formatted(FROM_MICROS.formatted("q.t"));

    private static final String SETTLE_REPLIES = """
            update obligations o set state = 'resolved', snoozed_until = null, resolved_at = %s
            from unnest(:ids, :rs) as x(id, r) where o.id = x.id and o.user_id = :u"""
            .formatted(FROM_MICROS.formatted("x.r"));

    /**
     * Brings the ledger of the contacts touched by {@code fresh} (rows just inserted) up to date. The user's lock is held,
     * so the state read here cannot change underneath; the arithmetic is done here and written back by primary key, which
     * keeps every statement a handful of index lookups per touched contact, whatever the table statistics say.
     */
    private void applyBulk(Handle h, long userId, Settings s, List<Interaction> fresh, Set<Long> newPeople, Set<Long> newGiving,
                           Instant now) {
        Touches t = Touches.of(fresh, s);
        // People created by this call were stored with their state already (createPeople).
        Long[] touched = t.newest().keySet().stream().filter(c -> !newPeople.contains(c)).toArray(Long[]::new);
        List<Long> giveBack = new ArrayList<>(newGiving), keepInTouch = new ArrayList<>();
        if (touched.length > 0) h.createQuery(UPDATE_TOUCHED)
                .bind("u", userId).bind("cs", touched).bind("ts", microsOf(touched, t.newest())).bind("ws", valuesOf(touched, t.weight()))
                .bind("hs", halfLifeSeconds(s)).bind("threshold", s.giveBackThreshold()).bind("now", now)
                .map((rs, ctx) -> {
                    if (rs.getBoolean("giving") || rs.getBoolean("episode")) giveBack.add(rs.getLong("id"));
                    if (rs.getBoolean("cadence")) keepInTouch.add(rs.getLong("id"));
                    return rs.getLong("id");
                }).list();
        // Replies they are owed: one per new inbound comment/reply/mention/message, resolved at once by the first answer
        // (old or new) at or after it.
        if (!t.minInbound().isEmpty()) owedReplies(h, userId, fresh, t, newPeople, now);
        // New answers settle every earlier open reply of that person, at the first answer at or after it; a reply
        // already settled by a later answer is settled earlier (rows may arrive out of order, as in an import).
        // (People created by this call have no replies but the ones just written, which were settled as they went in.)
        Long[] answered = t.newAnswers().keySet().stream().filter(c -> !newPeople.contains(c)).toArray(Long[]::new);
        if (answered.length > 0) settleReplies(h, userId, answered, t.newAnswers());
        // Windows change only where a give-back episode is or may be, and where there is a cadence (a cadence change
        // recomputes the contact, so no keep-in-touch row outlives its cadence).
        if (!giveBack.isEmpty()) syncGiveBack(h, userId, giveBack.toArray(Long[]::new), now);
        if (!keepInTouch.isEmpty()) syncKeepInTouch(h, userId, keepInTouch.toArray(Long[]::new), now);
    }

    /**
     * Writes a reply obligation for each new inbound comment, reply, mention or message, settled by the first answer (old
     * or new) at or after it.
     */
    private static void owedReplies(Handle h, long userId, List<Interaction> fresh, Touches t, Set<Long> newPeople, Instant now) {
        // People created by this call have no answers but the new ones; the others' are read.
        Map<Long, List<Instant>> answers = new HashMap<>();
        for (Long c : newPeople) answers.put(c, t.newAnswers().get(c));
        Long[] cs = t.minInbound().keySet().stream().filter(c -> !newPeople.contains(c)).toArray(Long[]::new);
        if (cs.length > 0) {
            h.createQuery(ANSWERS_SINCE).bind("u", userId).bind("cs", cs).bind("since", microsOf(cs, t.minInbound()))
                    .map((rs, ctx) -> answers.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(Rows.instant(rs, "occurred_at")))
                    .list();
            answers.values().forEach(a -> {
                if (a != null) java.util.Collections.sort(a);
            });
        }
        List<Interaction> owed = new ArrayList<>();
        List<Instant> answeredAt = new ArrayList<>();
        owedOf(fresh, answers, owed, answeredAt);
        writeReplies(h, userId, owed, answeredAt, now);
    }

    /** The new inbound reply kinds, and the first answer at or after each (null: open). */
    private static void owedOf(List<Interaction> fresh, Map<Long, List<Instant>> answers, List<Interaction> owed, List<Instant> answeredAt) {
        for (Interaction r : fresh) {
            if (!"inbound".equals(r.direction()) || !REPLY_KINDS.contains(r.kind())) continue;
            owed.add(r);
            answeredAt.add(firstAtOrAfter(answers.get(r.contactId()), r.occurredAt()));
        }
    }

    /** Settles the reply obligations of {@code cs} that their new answers (sorted) settle, or settle earlier. */
    private static void settleReplies(Handle h, long userId, Long[] cs, Map<Long, List<Instant>> newAnswers) {
        Long[] first = new Long[cs.length];
        firstAnswers(cs, newAnswers, first);
        List<Long> settle = new ArrayList<>();
        List<Long> settledAt = new ArrayList<>();
        h.createQuery(SETTLEABLE_REPLIES)
                .bind("u", userId).bind("cs", cs).bind("first", first)
                .map((rs, ctx) -> {
                    Instant answer = firstAtOrAfter(newAnswers.get(rs.getLong("contact_id")), Rows.instant(rs, "opened_at"));
                    Instant resolved = Rows.instant(rs, "resolved_at");
                    boolean settled = "resolved".equals(rs.getString("state"));
                    if (answer != null && (!settled || answer.isBefore(resolved))) {
                        settle.add(rs.getLong("id"));
                        settledAt.add(micros(answer));
                    }
                    return rs.getLong("id");
                }).list();
        if (!settle.isEmpty()) {
            h.createUpdate(SETTLE_REPLIES)
                    .bind("u", userId).bind("ids", settle.toArray(Long[]::new)).bind("rs", settledAt.toArray(Long[]::new)).execute();
        }
    }

    private static void firstAnswers(Long[] cs, Map<Long, List<Instant>> newAnswers, Long[] first) {
        for (int j = 0; j < cs.length; j++) first[j] = micros(newAnswers.get(cs[j]).get(0));
    }

    /** The instants of {@code cs} in {@code at}, as microseconds. */
    private static Long[] microsOf(Long[] cs, Map<Long, Instant> at) {
        Long[] out = new Long[cs.length];
        for (int j = 0; j < cs.length; j++) out[j] = micros(at.get(cs[j]));
        return out;
    }

    private static Double[] valuesOf(Long[] cs, Map<Long, Double> values) {
        Double[] out = new Double[cs.length];
        for (int j = 0; j < cs.length; j++) out[j] = values.get(cs[j]);
        return out;
    }

    /** A row's signed weight decayed from {@code at} to {@code newest} (both cut to microseconds). */
    private static double signedWeight(String direction, String kind, Instant at, Instant newest, Settings s) {
        double sign = "inbound".equals(direction) ? 1.0 : -1.0;
        double age = Duration.between(at, newest).toNanos() / 1e9;
        return sign * s.weight(kind) * Math.pow(2.0, Math.max(-1000.0, -age / halfLifeSeconds(s)));
    }

    /** Microseconds since the epoch: PostgreSQL's own resolution, and far cheaper to send in bulk than text. */
    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    /** The first instant in ascending {@code sorted} at or after {@code t}, or null. */
    private static Instant firstAtOrAfter(List<Instant> sorted, Instant t) {
        if (sorted == null) return null;
        int i = java.util.Collections.binarySearch(sorted, t);
        if (i < 0) i = -i - 1;
        return i < sorted.size() ? sorted.get(i) : null;
    }

    private String platformOfUrl(String url, Settings settings) {
        if (url == null) return null;
        try {
            return links.parse(url, settings.mastodonInstanceSet()).map(l -> l.platform().id()).orElse(null);
        } catch (MalformedUrlException e) {
            return null;
        }
    }

    /** Recomputes everything derived for one contact, or for all of the user's contacts when {@code contactId} is null. */
    public void recompute(Handle h, long userId, Settings s, Long contactId, Instant now) {
        recomputeContacts(h, userId, s, contactId == null ? null : new Long[] {contactId}, now);
    }

    /** As above for several contacts ({@code null}: all of the user's). */
    public void recomputeContacts(Handle h, long userId, Settings s, Long[] contactIds, Instant now) {
        lockUser(h, userId);
        String only = contactIds == null ? "" : " and c2.id = any(:cs)";
        h.createUpdate("""
                        with m as (select c3.id contact_id,
                                          (select max(i.occurred_at) from interactions i where i.contact_id = c3.id and i.user_id = :u) at
                                   from contacts c3 where c3.user_id = :u %s),
                        agg as (select m.contact_id, m.at,
                                       (select sum((case when i.direction = 'inbound' then 1.0 else -1.0 end)
                                                   * coalesce((cast(:weights as jsonb) ->> i.kind)::float8, 0)
                                                   * power(2.0, greatest(-1000.0, -extract(epoch from (m.at - i.occurred_at)) / :hs)))
                                        from interactions i where i.contact_id = m.contact_id and i.user_id = :u) b
                                from m where m.at is not null)
                        update contacts c set balance = coalesce(agg.b, 0), balance_at = coalesce(agg.at, c2.created_at),
                                              last_interaction_at = agg.at
                        from contacts c2 left join agg on agg.contact_id = c2.id
                        where c.id = c2.id and c2.user_id = :u %s"""
                        .formatted(contactIds == null ? "" : "and c3.id = any(:cs)", only))
                .bind("u", userId).bind("cs", contactIds).bind("weights", weightsJson(s)).bind("hs", halfLifeSeconds(s))
                .execute();
        h.createUpdate("""
                        update obligations o set
                          state = case when r.at is not null then 'resolved' when o.state = 'resolved' then 'open' else o.state end,
                          resolved_at = r.at
                        from (select o2.id, (select min(i.occurred_at) from interactions i
                                             where i.user_id = :u and i.contact_id = o2.contact_id and i.direction = 'outbound'
                                               and i.kind in %s and i.occurred_at >= o2.opened_at) at
                              from obligations o2 where o2.user_id = :u and o2.type = 'reply' and o2.state <> 'dismissed' %s) r
                        where o.id = r.id"""
                        .formatted(RESOLVER_KINDS, contactIds == null ? "" : "and o2.contact_id = any(:cs)"))
                .bind("u", userId).bind("cs", contactIds).execute();
        syncWindows(h, userId, s, contactIds, now);
    }

    /** Brings give-back and keep-in-touch rows in line with the contact's balance, cadence and last touch. */
    void syncWindows(Handle h, long userId, Settings s, Long[] contactIds, Instant now) {
        String onlyC = contactIds == null ? "" : " and c.id = any(:cs)";
        String onlyO = contactIds == null ? "" : " and o.contact_id = any(:cs)";
        // When the decaying balance will fall below the threshold (null: it is below already).
        h.createUpdate("""
                        update contacts c set give_back_until = %s
                        where c.user_id = :u""".formatted(GIVE_BACK_UNTIL.formatted("c.balance", "c.balance_at")) + onlyC)
                .bind("u", userId).bind("cs", contactIds).bind("threshold", s.giveBackThreshold()).bind("hs", halfLifeSeconds(s)).execute();
        syncGiveBack(h, userId, contactIds, now);
        syncKeepInTouch(h, userId, contactIds, now);
    }

    /** Give-back: an active episode follows the contacts' window, or ends now when there is none; a new one opens. */
    private void syncGiveBack(Handle h, long userId, Long[] contactIds, Instant now) {
        String onlyC = contactIds == null ? "" : " and c.id = any(:cs)";
        String onlyO = contactIds == null ? "" : unresolvedOf("giveBack");
        h.createUpdate(byIds("""
                        update obligations o set
                          closes_at = case when c.give_back_until > :now then c.give_back_until else cast(:now as timestamptz) end,
                          state = case when c.give_back_until > :now or o.state = 'dismissed' then o.state else 'resolved' end,
                          resolved_at = case when c.give_back_until > :now then null else cast(:now as timestamptz) end
                        from contacts c
                        where o.contact_id = c.id and o.user_id = :u and o.type = 'giveBack' and o.state <> 'resolved'
                          and (o.closes_at is null or o.closes_at > :now)""" + onlyO, contactIds))
                .bind("u", userId).bind("cs", contactIds).bind("now", now).execute();
        h.createUpdate("""
                        insert into obligations (user_id, contact_id, type, state, opened_at, closes_at, created_at)
                        select c.user_id, c.id, 'giveBack', 'open', cast(:now as timestamptz), c.give_back_until, cast(:now as timestamptz) from contacts c
                        where c.user_id = :u and c.give_back_until > :now %s
                          and not exists (select 1 from obligations o where o.contact_id = c.id and o.type = 'giveBack'
                                          and o.state in ('open', 'snoozed', 'dismissed') and (o.closes_at is null or o.closes_at > :now))"""
                        .formatted(onlyC))
                .bind("u", userId).bind("cs", contactIds).bind("now", now).execute();
    }

    /**
     * With {@code contactIds}, the statement finds its rows through {@link #unresolvedOf}; its own user filter is then
     * kept out of the index choice (on obligations_user_state, the id list would be searched among all the user's rows).
     */
    private static String byIds(String sql, Long[] contactIds) {
        return contactIds == null ? sql : sql.replace("o.user_id = :u", "o.user_id + 0 = :u");
    }

    /**
     * {@code and o.id = any(...)}: the given type's unresolved obligations of the contacts {@code :cs}, found with one
     * probe of obligations_contact per contact. Said as {@code o.contact_id = any(:cs)}, the planner may prefer to
     * read all of the user's obligations (obligations_user_state), which grows with the ledger (~50 ms a call seen on a
     * second big import); ids it will always look up by primary key.
     */
    private static String unresolvedOf(String type) {
        return " and o.id = any(array(select x.id from unnest(cast(:cs as bigint[])) as q(c) cross join lateral"
                + " (select o2.id from obligations o2 where o2.contact_id = q.c and o2.user_id + 0 = :u and o2.type = '" + type + "'"
                + " and o2.state in ('open', 'snoozed', 'dismissed') order by o2.contact_id) x))";
    }

    /**
     * Keep-in-touch: a due episode ends when the person was touched after it opened (or the cadence went away); one not
     * yet due moves with the due date; a contact with a cadence always has one ahead.
     */
    private void syncKeepInTouch(Handle h, long userId, Long[] contactIds, Instant now) {
        String onlyC = contactIds == null ? "" : " and c.id = any(:cs)";
        String onlyO = contactIds == null ? "" : unresolvedOf("keepInTouch");
        String due = "coalesce(c.last_interaction_at, c.created_at) + make_interval(days => c.cadence_days)";
        h.createUpdate(byIds("""
                        update obligations o set closes_at = :now, resolved_at = :now,
                          state = case when o.state = 'dismissed' then 'dismissed' else 'resolved' end
                        from contacts c
                        where o.contact_id = c.id and o.user_id = :u and o.type = 'keepInTouch' and o.state <> 'resolved'
                          and o.closes_at is null and o.opened_at <= :now
                          and (c.cadence_days is null or %s > o.opened_at)""".formatted(due) + onlyO, contactIds))
                .bind("u", userId).bind("cs", contactIds).bind("now", now).execute();
        h.createUpdate(byIds("""
                        delete from obligations o using contacts c
                        where o.contact_id = c.id and o.user_id = :u and o.type = 'keepInTouch' and o.state <> 'resolved'
                          and o.closes_at is null and o.opened_at > :now and c.cadence_days is null""" + onlyO, contactIds))
                .bind("u", userId).bind("cs", contactIds).bind("now", now).execute();
        h.createUpdate(byIds("""
                        update obligations o set opened_at = greatest(%s, cast(:now as timestamptz))
                        from contacts c
                        where o.contact_id = c.id and o.user_id = :u and o.type = 'keepInTouch' and o.state <> 'resolved'
                          and o.closes_at is null and o.opened_at > :now and c.cadence_days is not null""".formatted(due) + onlyO, contactIds))
                .bind("u", userId).bind("cs", contactIds).bind("now", now).execute();
        h.createUpdate("""
                        insert into obligations (user_id, contact_id, type, state, opened_at, created_at)
                        select c.user_id, c.id, 'keepInTouch', 'open', %s, cast(:now as timestamptz) from contacts c
                        where c.user_id = :u and c.cadence_days is not null %s
                          and not exists (select 1 from obligations o where o.contact_id = c.id and o.type = 'keepInTouch'
                                          and o.state in ('open', 'snoozed', 'dismissed') and o.closes_at is null)""".formatted(due, onlyC))
                .bind("u", userId).bind("cs", contactIds).bind("now", now).execute();
    }

    // ------------------------------------------------------------------------------------------------ reads

    public Optional<Interaction> interaction(Handle h, long userId, long id) {
        return h.createQuery("select * from interactions where user_id = :u and id = :id")
                .bind("u", userId).bind("id", id).map(INTERACTION).findOne();
    }

    /** Summaries of the given contacts (unknown ids are left out), in two queries however many there are. */
    public Map<Long, PersonSummary> summaries(Handle h, long userId, Settings s, Collection<Long> contactIds, Instant now) {
        Map<Long, PersonSummary> out = new LinkedHashMap<>();
        if (contactIds.isEmpty()) return out;
        loadStates(h, userId, contactIds.toArray(Long[]::new), now).forEach((id, state) -> out.put(id, state.summarize(s, now)));
        return out;
    }

    /**
     * The ledger state of the given contacts ({@code null}: all of the user's), with every obligation that is or may
     * become open after {@code now}; two queries.
     */
    public Map<Long, ContactState> loadStates(Handle h, long userId, Long[] contactIds, Instant now) {
        String only = contactIds == null ? "" : " and c.id = any(:ids)";
        Map<Long, List<ContactState.Row>> rows = new HashMap<>();
        h.createQuery("""
                        select o.id, o.contact_id, o.type, o.state, o.opened_at, o.closes_at, o.snoozed_until, o.url, i.kind, c.cadence_days
                        from obligations o join contacts c on c.id = o.contact_id left join interactions i on i.id = o.interaction_id
                        where o.user_id = :u and o.state in ('open', 'snoozed') and (o.closes_at is null or o.closes_at > :now)"""
                        + only.replace("c.id", "o.contact_id"))
                .bind("u", userId).bind("ids", contactIds).bind("now", now)
                .map((rs, ctx) -> {
                    ContactState.Row r = new ContactState.Row(rs.getLong("id"), rs.getString("type"), rs.getString("state"),
                            Rows.instant(rs, "opened_at"), Rows.instant(rs, "closes_at"), Rows.instant(rs, "snoozed_until"), rs.getString("url"),
                            rs.getString("kind"), (Integer) rs.getObject("cadence_days"));
                    rows.computeIfAbsent(rs.getLong("contact_id"), k -> new ArrayList<>()).add(r);
                    return r;
                }).list();
        Map<Long, ContactState> out = new LinkedHashMap<>();
        h.createQuery("select c.id, c.display_name, c.balance, c.balance_at, c.last_interaction_at from contacts c where c.user_id = :u" + only)
                .bind("u", userId).bind("ids", contactIds)
                .map((rs, ctx) -> new ContactState(rs.getLong("id"), rs.getString("display_name"), rs.getDouble("balance"),
                        Rows.instant(rs, "balance_at"), Rows.instant(rs, "last_interaction_at"), List.copyOf(rows.getOrDefault(rs.getLong("id"), List.of()))))
                .forEach(c -> out.put(c.id(), c));
        return out;
    }

    /** Maps a row of `o.*, contact_name, cadence_days, kind, effective` to the API view. */
    public static ObligationView view(java.sql.ResultSet rs, Settings s, Instant now) throws java.sql.SQLException {
        String type = rs.getString("type");
        Instant opened = rs.getObject("opened_at", java.time.OffsetDateTime.class).toInstant();
        String state = rs.getString("effective");
        boolean overdue = "reply".equals(type) && "open".equals(state) && !opened.isAfter(overdueBefore(s, now));
        Instant snoozed = "snoozed".equals(state) ? Rows.instant(rs, "snoozed_until") : null;
        Instant resolved = "resolved".equals(state)
                ? Optional.ofNullable(Rows.instant(rs, "resolved_at")).orElse(Rows.instant(rs, "closes_at")) : null;
        return new ObligationView(rs.getLong("id"), type, state, overdue, rs.getLong("contact_id"), rs.getString("contact_name"),
                reason(type, rs.getString("kind"), (Integer) rs.getObject("cadence_days")), rs.getString("url"), opened, snoozed, resolved);
    }

    public static String reason(String type, String kind, Integer cadenceDays) {
        return switch (type) {
            case "reply" -> switch (kind == null ? "" : kind) {
                case "comment" -> "commented on your post";
                case "reply" -> "replied to you";
                case "mention" -> "mentioned you";
                case "message" -> "sent you a message";
                default -> "is waiting for your reply";
            };
            case "giveBack" -> "gave you a lot lately and got little back";
            default -> cadenceDays == null ? "you have not been in touch for a while"
                    : "no contact in over " + cadenceDays + (cadenceDays == 1 ? " day" : " days");
        };
    }

    public static Instant overdueBefore(Settings s, Instant now) {
        return now.minus(Duration.ofHours(s.replyWindowHours()));
    }

    public static double decayed(double balance, Instant at, Settings s, Instant now) {
        double seconds = Duration.between(at, now).toMillis() / 1000.0;
        return balance * Math.pow(2, -seconds / halfLifeSeconds(s));
    }

    static double halfLifeSeconds(Settings s) {
        return s.halfLifeDays() * 86_400.0;
    }

    private String weightsJson(Settings s) {
        Map<String, Double> w = new LinkedHashMap<>();
        for (String kind : Settings.KINDS) w.put(kind, s.weight(kind));
        try {
            return json.writeValueAsString(w);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
