package reciprocity.contacts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import reciprocity.account.AccountService;
import reciprocity.account.Settings;
import reciprocity.ledger.Ledger;
import reciprocity.ledger.PersonRef;
import reciprocity.ledger.PersonSummary;
import reciprocity.platforms.InvalidHandleException;
import reciprocity.platforms.LinkParser;
import reciprocity.platforms.Platform;
import reciprocity.web.ApiProblem;
import reciprocity.web.Cursors;
import reciprocity.web.Page;

/** Contacts and their handles: creating, listing (filtered, sorted, paged), editing, deleting and merging people. */
public final class ContactService {
    public static final int MAX_NAME = 100;
    public static final int MAX_NOTES = 5000;
    public static final int MAX_TAGS = 20;
    public static final int MAX_TAG = 50;
    public static final int MAX_CADENCE_DAYS = 3650;
    public static final int MAX_HANDLES_PER_REQUEST = 20;
    /** A contact's handles are listed whole in every response, so their number is bounded. */
    public static final int MAX_HANDLES_PER_CONTACT = 50;
    public static final int MAX_QUERY = 200;

    /** How `GET /v1/contacts` orders; {@link #URGENCY} is the default. */
    public enum Sort {
        URGENCY("urgency"), BALANCE("balance"), LAST_INTERACTION("lastInteraction"), NAME("name");

        final String id;

        Sort(String id) {
            this.id = id;
        }

        public static Sort of(String id) {
            if (id == null || id.isBlank()) return URGENCY;
            for (Sort s : values()) if (s.id.equals(id.strip())) return s;
            throw ApiProblem.badRequest("sort", "sort must be one of urgency, balance, lastInteraction, name");
        }
    }

    /** Filters for `GET /v1/contacts`. */
    public record Filter(String q, Boolean owed, String tag, Sort sort) {}

    /** A contact row as stored (without the read-model columns, which reach the API through the summary). */
    record Row(long id, String displayName, Integer cadenceDays, String notes, List<String> tags, Instant createdAt,
               Instant updatedAt) {}

    private static final String ROW_COLUMNS = "c.id, c.display_name, c.cadence_days, c.notes, c.tags, c.created_at, c.updated_at";

    private final Jdbi jdbi;
    private final Ledger ledger;
    private final AccountService accounts;
    private final Clock clock;
    private final Cursors cursors;

    public ContactService(Jdbi jdbi, Ledger ledger, AccountService accounts, Clock clock, Cursors cursors) {
        this.jdbi = jdbi;
        this.ledger = ledger;
        this.accounts = accounts;
        this.clock = clock;
        this.cursors = cursors;
    }

    // ------------------------------------------------------------------------------------------------ writes

    public Contact create(long userId, Contact.Create in) {
        String name = displayName(in.displayName());
        String notes = notes(in.notes());
        List<String> tags = tags(in.tags() == null ? List.of() : in.tags());
        Integer cadence = cadence(in.cadenceDays());
        if (in.handles() == null) throw ApiProblem.badRequest("handles", "handles is required: a list (possibly empty) of {platform, handle} or {url}");
        if (in.handles().size() > MAX_HANDLES_PER_REQUEST) {
            throw ApiProblem.badRequest("handles", "handles holds at most " + MAX_HANDLES_PER_REQUEST + " per request; add more with POST /v1/contacts/{id}/handles");
        }
        Settings settings = accounts.settings(userId);
        // Canonicalise every handle before writing anything; the same handle twice in one request counts once.
        Map<String, Map.Entry<Platform, String>> keys = new LinkedHashMap<>();
        for (int i = 0; i < in.handles().size(); i++) {
            Map.Entry<Platform, String> key = canonical(in.handles().get(i), settings, "handles[" + i + "]");
            keys.putIfAbsent(key.getKey().id() + ":" + key.getValue(), key);
        }
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            long id = ledger.insertContact(h, userId, name, notes, tags, cadence, now);
            for (Map.Entry<Platform, String> key : keys.values()) insertHandle(h, userId, id, key, now);
            if (cadence != null) ledger.recompute(h, userId, settings, id, now);
            return view(h, userId, settings, id, now);
        });
    }

    public Contact get(long userId, long id) {
        Settings settings = accounts.settings(userId);
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> view(h, userId, settings, id, now));
    }

    /** Changes the fields present in {@code present}; a cadence change recomputes the contact's keep-in-touch window. */
    public Contact update(long userId, long id, Contact.Patch patch, Set<String> present) {
        String name = present.contains("displayName") ? displayName(patch.displayName()) : null;
        String notes = notes(patch.notes());
        if (present.contains("tags") && patch.tags() == null) throw ApiProblem.badRequest("tags", "tags must be a list; send [] to remove every tag");
        List<String> tags = present.contains("tags") ? tags(patch.tags()) : null;
        Integer cadence = cadence(patch.cadenceDays());
        Settings settings = accounts.settings(userId);
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            Row row = lock(h, userId, id);
            h.createUpdate("""
                            update contacts set display_name = :name, notes = :notes, tags = :tags, cadence_days = :cadence,
                                                updated_at = :now
                            where user_id = :u and id = :id""")
                    .bind("name", name != null ? name : row.displayName())
                    .bind("notes", present.contains("notes") ? notes : row.notes())
                    .bind("tags", (tags != null ? tags : row.tags()).toArray(String[]::new))
                    .bind("cadence", present.contains("cadenceDays") ? cadence : row.cadenceDays())
                    .bind("now", now).bind("u", userId).bind("id", id).execute();
            if (present.contains("cadenceDays")) ledger.recompute(h, userId, settings, id, now);
            return view(h, userId, settings, id, now);
        });
    }

    /**
     * Deletes the contact with its handles, interactions and obligations (V11's trigger), under the user's ledger lock
     * so that no write for this person can be under way.
     */
    public void delete(long userId, long id) {
        int deleted = jdbi.inTransaction(h -> {
            Ledger.lockUser(h, userId);
            return h.createUpdate("delete from contacts where user_id = :u and id = :id").bind("u", userId).bind("id", id).execute();
        });
        if (deleted == 0) throw ApiProblem.notFound("Contact " + id);
    }

    public Contact.HandleView addHandle(long userId, long contactId, Contact.HandleRef ref) {
        Settings settings = accounts.settings(userId);
        Map.Entry<Platform, String> key;
        try {
            key = canonical(ref, settings, "handle");
        } catch (ApiProblem p) {
            throw rebase(p, "handle");
        }
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            lock(h, userId, contactId);
            int count = h.createQuery("select count(*) from handles where user_id = :u and contact_id = :c")
                    .bind("u", userId).bind("c", contactId).mapTo(Integer.class).one();
            if (count >= MAX_HANDLES_PER_CONTACT) {
                throw ApiProblem.unprocessable(null, "A contact holds at most " + MAX_HANDLES_PER_CONTACT + " handles");
            }
            Contact.HandleView added = insertHandle(h, userId, contactId, key, now);
            touch(h, userId, contactId, now);
            return added;
        });
    }

    public void removeHandle(long userId, long contactId, long handleId) {
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            lock(h, userId, contactId);
            int deleted = h.createUpdate("delete from handles where user_id = :u and contact_id = :c and id = :id")
                    .bind("u", userId).bind("c", contactId).bind("id", handleId).execute();
            if (deleted == 0) throw ApiProblem.notFound("Handle " + handleId);
            touch(h, userId, contactId, now);
        });
    }

    /**
     * Folds {@code otherId} into {@code id}: its handles, interactions and obligation history move over, it is deleted,
     * and the ledger of the merged person is recomputed — all in one transaction. The surviving contact keeps its own
     * name, notes and cadence where it has them and takes the other's where it has none; tags are combined.
     */
    public Contact merge(long userId, long id, Contact.Merge request) {
        if (request.otherContactId() == null) throw ApiProblem.badRequest("otherContactId", "otherContactId is required");
        long otherId = request.otherContactId();
        if (otherId <= 0) throw ApiProblem.notFound("Contact " + otherId);
        if (otherId == id) throw ApiProblem.unprocessable("otherContactId", "A contact cannot be merged into itself");
        Settings settings = accounts.settings(userId);
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            // The ledger lock first, as every ledger write takes it, then both people in id order.
            Ledger.lockUser(h, userId);
            Row keep, other;
            if (id < otherId) {
                keep = lock(h, userId, id);
                other = lock(h, userId, otherId);
            } else {
                other = lock(h, userId, otherId);
                keep = lock(h, userId, id);
            }
            LinkedHashSet<String> tags = new LinkedHashSet<>(keep.tags());
            tags.addAll(other.tags());
            if (tags.size() > MAX_TAGS) {
                throw ApiProblem.unprocessable("otherContactId", "Together the two contacts have " + tags.size()
                        + " tags, over the " + MAX_TAGS + " a contact may have; remove some first");
            }
            int handles = h.createQuery("select count(*) from handles where user_id = :u and contact_id in (:a, :b)")
                    .bind("u", userId).bind("a", id).bind("b", otherId).mapTo(Integer.class).one();
            if (handles > MAX_HANDLES_PER_CONTACT) {
                throw ApiProblem.unprocessable("otherContactId", "Together the two contacts have " + handles
                        + " handles, over the " + MAX_HANDLES_PER_CONTACT + " a contact may have; remove some first");
            }
            for (String table : List.of("handles", "interactions")) {
                h.createUpdate("update " + table + " set contact_id = :keep where user_id = :u and contact_id = :other")
                        .bind("keep", id).bind("u", userId).bind("other", otherId).execute();
            }
            // Give-back and keep-in-touch episodes still running are derived from the contact as a whole: drop the
            // other's, and the recompute below opens whatever the merged person warrants. History moves over.
            h.createUpdate("""
                            delete from obligations where user_id = :u and contact_id = :other and type <> 'reply'
                              and state <> 'resolved' and (closes_at is null or closes_at > :now)""")
                    .bind("u", userId).bind("other", otherId).bind("now", now).execute();
            h.createUpdate("update obligations set contact_id = :keep where user_id = :u and contact_id = :other")
                    .bind("keep", id).bind("u", userId).bind("other", otherId).execute();
            h.createUpdate("""
                            update contacts set notes = :notes, cadence_days = :cadence, tags = :tags, updated_at = :now
                            where user_id = :u and id = :id""")
                    .bind("notes", keep.notes() == null || keep.notes().isBlank() ? other.notes() : keep.notes())
                    .bind("cadence", keep.cadenceDays() != null ? keep.cadenceDays() : other.cadenceDays())
                    .bind("tags", tags.toArray(String[]::new)).bind("now", now).bind("u", userId).bind("id", id).execute();
            h.createUpdate("delete from contacts where user_id = :u and id = :other").bind("u", userId).bind("other", otherId).execute();
            ledger.recompute(h, userId, settings, id, now);
            return view(h, userId, settings, id, now);
        });
    }

    // ------------------------------------------------------------------------------------------------ reads

    /**
     * One page of contacts. Keyset pagination over a sort key computed in SQL: the cursor carries the last row's key
     * (as PostgreSQL printed it, so it compares exactly) and id, signed for this user and sort.
     */
    public Page<Contact> list(long userId, Filter f, String cursor, int limit) {
        Settings settings = accounts.settings(userId);
        Instant now = clock.instant();
        Sort sort = f.sort();
        String list = "contacts:" + sort.id;
        List<String> after = null;
        // The balance key is decayed to a reference time fixed by the first page, so later pages compare like with like.
        Instant ref = now;
        if (cursor != null) {
            after = cursors.decode(userId, list, cursor, sort == Sort.BALANCE ? 3 : keyCount(sort) + 1);
            if (sort == Sort.BALANCE) {
                try {
                    ref = Instant.parse(after.get(0));
                } catch (java.time.DateTimeException e) {
                    throw ApiProblem.badRequest("cursor", "cursor is not one this server gave you for this list; start again without it");
                }
                after = after.subList(1, after.size());
            }
        }
        String[][] keys = keys(sort);
        boolean descending = sort == Sort.BALANCE || sort == Sort.LAST_INTERACTION;
        StringBuilder sql = new StringBuilder("select " + ROW_COLUMNS);
        for (int k = 0; k < keys.length; k++) sql.append(", (").append(keys[k][0]).append(")::text as k").append(k);
        sql.append(" from contacts c");
        if (sort == Sort.URGENCY) {
            sql.append(" ").append("""
                     left join lateral (select %s as rank, o.opened_at from obligations o
                                        where o.user_id = :u and o.contact_id = c.id and %s
                                        order by 1, 2 limit 1) u on true""".formatted(Ledger.URGENCY_RANK, Ledger.OPEN_AT_NOW));
        }
        sql.append(" where c.user_id = :u");
        if (f.q() != null) {
            sql.append(" ").append("""
                     and (strpos(lower(c.display_name), lower(:q)) > 0
                          or exists (select 1 from handles h where h.user_id = :u and h.contact_id = c.id
                                     and strpos(lower(h.handle), lower(:q)) > 0))""");
        }
        if (f.tag() != null) sql.append(" and c.tags @> array[cast(:tag as text)]");
        if (f.owed() != null) {
            sql.append(f.owed() ? " and" : " and not").append(" exists (select 1 from obligations o where o.user_id = :u and o.contact_id = c.id and ")
                    .append(Ledger.OPEN_AT_NOW).append(")");
        }
        StringBuilder order = new StringBuilder();
        if (after != null) {
            sql.append(" and (");
            for (String[] key : keys) sql.append(key[0]).append(", ");
            sql.append("c.id) ").append(descending ? "<" : ">").append(" (");
            for (int k = 0; k < keys.length; k++) sql.append("cast(:a").append(k).append(" as ").append(keys[k][1]).append("), ");
            sql.append(":aid)");
        }
        for (String[] key : keys) order.append(key[0]).append(descending ? " desc, " : ", ");
        order.append(descending ? "c.id desc" : "c.id");
        sql.append(" order by ").append(order).append(" limit :limit");

        List<String> afterValues = after;
        Instant reference = ref;
        return jdbi.inTransaction(h -> {
            Query query = h.createQuery(sql.toString()).bind("u", userId).bind("limit", limit + 1);
            if (sort == Sort.URGENCY || f.owed() != null) query.bind("now", now);
            if (sort == Sort.URGENCY) query.bind("overdueBefore", Ledger.overdueBefore(settings, now));
            if (sort == Sort.BALANCE) query.bind("ref", reference).bind("hs", settings.halfLifeDays() * 86_400.0);
            if (f.q() != null) query.bind("q", f.q());
            if (f.tag() != null) query.bind("tag", f.tag());
            if (afterValues != null) {
                for (int k = 0; k < keys.length; k++) query.bind("a" + k, afterValues.get(k));
                try {
                    query.bind("aid", Long.parseLong(afterValues.get(keys.length)));
                } catch (NumberFormatException e) {
                    throw ApiProblem.badRequest("cursor", "cursor is not one this server gave you for this list; start again without it");
                }
            }
            List<String[]> lastKeys = new ArrayList<>();
            List<Row> rows = query.map((rs, ctx) -> {
                String[] k = new String[keys.length];
                for (int i = 0; i < keys.length; i++) k[i] = rs.getString("k" + i);
                lastKeys.add(k);
                return row(rs);
            }).list();
            String next = null;
            if (rows.size() > limit) {
                rows = rows.subList(0, limit);
                List<String> values = new ArrayList<>();
                if (sort == Sort.BALANCE) values.add(reference.toString());
                values.addAll(Arrays.asList(lastKeys.get(limit - 1)));
                values.add(Long.toString(rows.get(limit - 1).id()));
                next = cursors.encode(userId, list, values);
            }
            return new Page<>(views(h, userId, settings, rows, now), next);
        });
    }

    /** The sort key expressions and their SQL types; the id is always the last tie-breaker. */
    private static String[][] keys(Sort sort) {
        return switch (sort) {
            case NAME -> new String[][] {{"lower(c.display_name)", "text"}};
            case LAST_INTERACTION -> new String[][] {{"coalesce(c.last_interaction_at, '-infinity'::timestamptz)", "timestamptz"}};
            // The balance decayed to the reference time: decaying rescales every balance by its own age, so the order of
            // stored balances is not the order of what they are worth now.
            case BALANCE -> new String[][] {{"c.balance * power(2.0::float8, greatest(-1000.0::float8, "
                    + "(-extract(epoch from (cast(:ref as timestamptz) - c.balance_at)) / :hs)::float8))", "float8"}};
            case URGENCY -> new String[][] {{"coalesce(u.rank, 4)", "int"},
                    {"coalesce(u.opened_at, 'infinity'::timestamptz)", "timestamptz"}, {"lower(c.display_name)", "text"}};
        };
    }

    private static int keyCount(Sort sort) {
        return keys(sort).length;
    }

    /** The contact with handles and summary; someone else's or a missing one is a 404. */
    Contact view(Handle h, long userId, Settings settings, long id, Instant now) {
        Row row = h.createQuery("select " + ROW_COLUMNS + " from contacts c where c.user_id = :u and c.id = :id")
                .bind("u", userId).bind("id", id).map((rs, ctx) -> row(rs)).findOne()
                .orElseThrow(() -> ApiProblem.notFound("Contact " + id));
        return views(h, userId, settings, List.of(row), now).get(0);
    }

    /** Handles and summaries for a whole page in three queries. */
    private List<Contact> views(Handle h, long userId, Settings settings, List<Row> rows, Instant now) {
        if (rows.isEmpty()) return List.of();
        List<Long> ids = rows.stream().map(Row::id).toList();
        Map<Long, List<Contact.HandleView>> handles = new HashMap<>();
        h.createQuery("select id, contact_id, platform, handle from handles where user_id = :u and contact_id = any(:ids) order by id")
                .bind("u", userId).bind("ids", ids.toArray(Long[]::new))
                .map((rs, ctx) -> handles.computeIfAbsent(rs.getLong("contact_id"), k -> new ArrayList<>())
                        .add(handleView(rs.getLong("id"), rs.getString("platform"), rs.getString("handle"))))
                .list();
        Map<Long, PersonSummary> summaries = ledger.summaries(h, userId, settings, ids, now);
        List<Contact> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(new Contact(r.id(), r.displayName(), List.copyOf(handles.getOrDefault(r.id(), List.of())), r.cadenceDays(),
                    r.notes(), r.tags(), r.createdAt(), r.updatedAt(), summaries.get(r.id())));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private Row lock(Handle h, long userId, long id) {
        return h.createQuery("select " + ROW_COLUMNS + " from contacts c where c.user_id = :u and c.id = :id for update")
                .bind("u", userId).bind("id", id).map((rs, ctx) -> row(rs)).findOne()
                .orElseThrow(() -> ApiProblem.notFound("Contact " + id));
    }

    private static void touch(Handle h, long userId, long id, Instant now) {
        h.createUpdate("update contacts set updated_at = :now where user_id = :u and id = :id")
                .bind("now", now).bind("u", userId).bind("id", id).execute();
    }

    /**
     * Adds a handle to a contact. A handle belongs to at most one contact and is never one of the user's own
     * identities; a taken one is a 409 naming the contact that has it.
     */
    private Contact.HandleView insertHandle(Handle h, long userId, long contactId, Map.Entry<Platform, String> key, Instant now) {
        String platform = key.getKey().id();
        String handle = key.getValue();
        if (ledger.isIdentity(h, userId, platform, handle)) {
            throw ApiProblem.unprocessable("handle", platform + ":" + handle + " is one of your own identities; your own profile is never a contact");
        }
        Optional<Long> id = h.createQuery("""
                        insert into handles (user_id, contact_id, platform, handle, created_at) values (:u, :c, :p, :h, :now)
                        on conflict (user_id, platform, handle) do nothing returning id""")
                .bind("u", userId).bind("c", contactId).bind("p", platform).bind("h", handle).bind("now", now)
                .mapTo(Long.class).findOne();
        if (id.isEmpty()) throw taken(h, userId, platform, handle);
        return handleView(id.get(), platform, handle);
    }

    /** The 409 for a handle that another contact (or this one) already has. */
    public static ApiProblem taken(Handle h, long userId, String platform, String handle) {
        Optional<Map<String, Object>> owner = h.createQuery("""
                        select c.id, c.display_name from handles x join contacts c on c.id = x.contact_id
                        where x.user_id = :u and x.platform = :p and x.handle = :h""")
                .bind("u", userId).bind("p", platform).bind("h", handle).mapToMap().findOne();
        return owner.map(o -> ApiProblem.conflict(platform + ":" + handle + " already belongs to contact " + o.get("id")
                        + " (" + o.get("display_name") + ")"))
                .orElseGet(() -> ApiProblem.conflict(platform + ":" + handle + " was just taken by another contact; try again"));
    }

    private Map.Entry<Platform, String> canonical(Contact.HandleRef ref, Settings settings, String field) {
        if (ref == null) throw ApiProblem.badRequest(field, field + " must be {platform, handle} or {url}");
        if (ref.url() != null && ref.url().length() > LinkParser.MAX_URL_LENGTH) {
            throw ApiProblem.badRequest(field + ".url", field + ".url is longer than " + LinkParser.MAX_URL_LENGTH + " characters");
        }
        return ledger.handleOf(new PersonRef(ref.url(), ref.platform(), ref.handle(), null), settings, field);
    }

    /** The single-handle endpoint takes the handle as the whole body: drop the `handle.` prefix from field names. */
    private static ApiProblem rebase(ApiProblem p, String prefix) {
        String field = p.field();
        if (field == null || !field.startsWith(prefix + ".")) return p;
        String detail = p.getMessage() == null ? null : p.getMessage().replace(prefix + ".", "");
        return new ApiProblem(p.status(), p.title(), detail, field.substring(prefix.length() + 1), p.headers());
    }

    public static Contact.HandleView handleView(long id, String platform, String handle) {
        return new Contact.HandleView(id, platform, handle, profileUrl(platform, handle));
    }

    public static String profileUrl(String platform, String handle) {
        try {
            return Platform.fromId(platform).map(p -> LinkParser.profileUrl(p, handle)).orElse(null);
        } catch (InvalidHandleException e) {
            return null;
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        java.sql.Array tags = rs.getArray("tags");
        return new Row(rs.getLong("id"), rs.getString("display_name"), (Integer) rs.getObject("cadence_days"),
                rs.getString("notes"), tags == null ? List.of() : List.of((String[]) tags.getArray()),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    // ------------------------------------------------------------------------------------------------ validation

    static String displayName(String raw) {
        if (raw == null) throw ApiProblem.badRequest("displayName", "displayName is required, 1 to " + MAX_NAME + " characters");
        String name = raw.strip();
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > MAX_NAME) {
            throw ApiProblem.badRequest("displayName", "displayName must be 1 to " + MAX_NAME + " characters (it has " + length + ")");
        }
        if (name.chars().anyMatch(Character::isISOControl)) throw ApiProblem.badRequest("displayName", "displayName must not contain control characters");
        return name;
    }

    static String notes(String notes) {
        if (notes != null && notes.length() > MAX_NOTES) {
            throw ApiProblem.badRequest("notes", "notes must be at most " + MAX_NOTES + " characters (it has " + notes.length() + ")");
        }
        return notes;
    }

    static Integer cadence(Integer days) {
        if (days != null && (days < 1 || days > MAX_CADENCE_DAYS)) {
            throw ApiProblem.badRequest("cadenceDays", "cadenceDays must be from 1 to " + MAX_CADENCE_DAYS + " (or null for none)");
        }
        return days;
    }

    /** Tags stripped and de-duplicated in order; at most 20, each 1 to 50 characters. */
    static List<String> tags(List<String> raw) {
        if (raw.size() > MAX_TAGS) throw ApiProblem.badRequest("tags", "tags holds at most " + MAX_TAGS + " tags");
        LinkedHashSet<String> tags = new LinkedHashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String t = raw.get(i) == null ? "" : raw.get(i).strip();
            if (t.isEmpty() || t.length() > MAX_TAG || t.chars().anyMatch(Character::isISOControl)) {
                throw ApiProblem.badRequest("tags[" + i + "]", "tags[" + i + "] must be 1 to " + MAX_TAG + " characters without control characters");
            }
            tags.add(t);
        }
        return List.copyOf(tags);
    }

    static String query(String q) {
        if (q == null || q.isBlank()) return null;
        if (q.length() > MAX_QUERY) throw ApiProblem.badRequest("q", "q must be at most " + MAX_QUERY + " characters");
        return q.strip();
    }
}
