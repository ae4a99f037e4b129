package reciprocity.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import reciprocity.account.Settings;
import reciprocity.interactions.InteractionService;
import reciprocity.ledger.Ledger;
import reciprocity.ledger.PersonRef;
import reciprocity.platforms.LinkParser;
import reciprocity.platforms.Platform;
import reciprocity.web.ApiProblem;

/**
 * Writes one job's entries in chunks: each chunk is one transaction that also moves the job's progress on, so the
 * stored `processed` always equals the entries whose effects are committed and a resumed job skips exactly those.
 * Interactions go through {@link Ledger#recordBulk}; each entry is all-or-nothing.
 */
public final class ChunkWriter implements Sink {
    /**
     * Entries a chunk holds at most. Each chunk is a handful of set-based statements whatever its size, and the ledger
     * does some work per statement and per person a chunk touches (an X archive mentions the same few thousand people
     * throughout). Measured on a 2-core machine, chunks of 5000 cost PostgreSQL 10–15% less than chunks of 1000 once
     * the tables have statistics, and a 120,000-entry X archive into a fresh database a fifth (5.5 s instead of 30 s,
     * most of it one ledger query the planner gets wrong for a few hundred people at a time). A chunk holds the user's
     * write lock while it is written (a few hundred milliseconds), and it is the step in which progress moves and a
     * cancel takes effect.
     */
    static final int CHUNK = 5000;
    /** Characters of text (notes, URLs, ids) at which a chunk ends early, so long notes keep a chunk's memory small. */
    static final long CHUNK_CHARS = 4_000_000;
    static final int MAX_ERRORS = 100;

    /** Told after each committed chunk. */
    public interface Progress {
        Progress NONE = (processed, total, created, duplicates, errors) -> {};

        void committed(long processed, long total, long created, long duplicates, long errors);
    }

    /** The job was cancelled (or taken over) while it ran: stop, the chunk in hand is not written. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped", null, false, false);
        }
    }

    private final Jdbi jdbi;
    private final Ledger ledger;
    private final Settings settings;
    private final ObjectMapper json;
    private final Clock clock;
    private final long userId;
    private final long importId;
    private final long skip;
    private final long total;
    private final Progress progress;
    private long seen;
    private long storedErrors;
    private long created, duplicates, errors;
    private final List<Entry> pending = new ArrayList<>();
    private long pendingChars;
    private final List<Entry> lookups = new ArrayList<>();
    private final Map<Long, Long> contactOfRef = new HashMap<>();
    private final Map<Long, Long> interactionOfRef = new HashMap<>();

    ChunkWriter(Jdbi jdbi, Ledger ledger, Settings settings, ObjectMapper json, Clock clock, long userId, long importId,
                long alreadyProcessed, long total, long storedErrors, Progress progress) {
        this.jdbi = jdbi;
        this.ledger = ledger;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
        this.userId = userId;
        this.importId = importId;
        this.skip = alreadyProcessed;
        this.total = total;
        this.storedErrors = storedErrors;
        this.progress = progress;
    }

    @Override
    public void identity(String platform, String handle) {
        Optional<Platform> p = Platform.fromId(platform);
        if (p.isEmpty()) return;
        String canonical;
        try {
            canonical = LinkParser.canonicalHandle(p.get(), handle);
        } catch (RuntimeException e) {
            return;
        }
        jdbi.useHandle(h -> h.createUpdate("""
                        insert into identities (user_id, platform, handle, created_at) values (:u, :p, :h, :now)
                        on conflict (user_id, platform, handle) do nothing""")
                .bind("u", userId).bind("p", p.get().id()).bind("h", canonical).bind("now", clock.instant()).execute());
    }

    @Override
    public void accept(Entry entry) {
        seen++;
        if (seen <= skip) {
            // Committed by an earlier run; a contact of an export is still needed to place its interactions.
            if (entry.contact() != null && entry.fromExport()) lookups.add(entry);
            return;
        }
        pending.add(entry);
        pendingChars += chars(entry);
        if (pending.size() >= CHUNK || pendingChars >= CHUNK_CHARS) flush();
    }

    void flush() {
        if (pending.isEmpty() && lookups.isEmpty()) return;
        jdbi.useTransaction(this::write);
        pending.clear();
        pendingChars = 0;
        lookups.clear();
        progress.committed(Math.max(seen, skip), total, created, duplicates, errors);
    }

    private void write(Handle h) {
        String state = h.createQuery("select state from imports where id = :id for update").bind("id", importId)
                .mapTo(String.class).findOne().orElse("cancelled");
        if (!"running".equals(state)) throw new Stopped();
        // The ledger lock before any person is found or written, as every ledger write takes it (V11, V12).
        Ledger.lockUser(h, userId);
        Instant now = clock.instant();
        // Each loop over the chunk's entries is a method of its own, so that this one, run once per chunk, is never
        // compiled on the stack with all it calls (see Ledger.recordBulk).
        findLookups(h);
        Tally t = new Tally();
        List<Entry> toRecord = new ArrayList<>();
        List<Ledger.NewInteraction> valid = new ArrayList<>();
        List<Entry> obligations = new ArrayList<>();
        sortPending(h, now, t, toRecord, valid, obligations);
        // Export rows without an externalId are matched on their content, so importing the same export twice adds nothing.
        List<Entry> recordEntries = new ArrayList<>();
        List<Ledger.NewInteraction> record = new ArrayList<>();
        dropExported(h, toRecord, valid, t, recordEntries, record);
        if (!record.isEmpty()) count(ledger.recordBulk(h, userId, settings, record, now), recordEntries, t);
        carryOverAll(h, obligations, now);
        List<ImportError> shown = t.failed.subList(0, (int) Math.max(0, Math.min(t.failed.size(), MAX_ERRORS - storedErrors)));
        h.createUpdate("""
                        update imports set processed = :processed, created = created + :c, duplicates = duplicates + :d,
                          error_count = error_count + :e, errors = errors || cast(:shown as jsonb), heartbeat_at = now()
                        where id = :id""")
                .bind("processed", Math.max(seen, skip)).bind("c", t.made).bind("d", t.same).bind("e", t.failed.size())
                .bind("shown", write(shown)).bind("id", importId).execute();
        storedErrors += shown.size();
        created += t.made;
        duplicates += t.same;
        errors += t.failed.size();
    }

    /** What a chunk did: entries created, found already stored, and failed. */
    private static final class Tally {
        long made, same;
        final List<ImportError> failed = new ArrayList<>();
    }

    /** The stored contact of each contact skipped on resume (an export's rows refer to them). */
    private void findLookups(Handle h) {
        for (Entry e : lookups) findContact(h, e.contact()).ifPresent(id -> contactOfRef.put(e.ref(), id));
    }

    /**
     * Writes the chunk's contacts (each in a savepoint) and notes its errors; interactions that validate go to
     * {@code valid} (with their entries in {@code toRecord}), obligations to {@code obligations}.
     */
    private void sortPending(Handle h, Instant now, Tally t, List<Entry> toRecord, List<Ledger.NewInteraction> valid,
                             List<Entry> obligations) {
        for (Entry e : pending) {
            if (e.error() != null) {
                t.failed.add(new ImportError(e.entry(), e.line(), e.error()));
            } else if (e.contact() != null) {
                h.execute("savepoint import_contact");
                try {
                    if (writeContact(h, e, now)) t.made++;
                    else t.same++;
                    h.execute("release savepoint import_contact");
                } catch (ApiProblem p) {
                    h.execute("rollback to savepoint import_contact");
                    t.failed.add(new ImportError(e.entry(), e.line(), p.getMessage()));
                }
            } else if (e.obligation() != null) {
                obligations.add(e);
            } else if (e.interaction() != null) {
                try {
                    valid.add(interaction(h, e, now));
                    toRecord.add(e);
                } catch (ApiProblem p) {
                    t.failed.add(new ImportError(e.entry(), e.line(), p.getMessage()));
                }
            }
        }
    }

    /** The valid interactions still to record: an exported row without an externalId that is stored already counts as such. */
    private void dropExported(Handle h, List<Entry> toRecord, List<Ledger.NewInteraction> valid, Tally t,
                              List<Entry> recordEntries, List<Ledger.NewInteraction> record) {
        for (int i = 0; i < valid.size(); i++) {
            Entry e = toRecord.get(i);
            Ledger.NewInteraction n = valid.get(i);
            if (e.fromExport() && n.externalId() == null) {
                Optional<Long> existing = sameExported(h, n);
                if (existing.isPresent()) {
                    t.same++;
                    if (e.ref() != null) interactionOfRef.put(e.ref(), existing.get());
                    continue;
                }
            }
            recordEntries.add(e);
            record.add(n);
        }
    }

    /** Counts the ledger's outcome of each recorded entry, and notes the ids of an export's rows. */
    private void count(List<Ledger.BulkResult> results, List<Entry> recordEntries, Tally t) {
        for (int i = 0; i < results.size(); i++) {
            Ledger.BulkResult r = results.get(i);
            Entry e = recordEntries.get(i);
            switch (r.status()) {
                case "created" -> t.made++;
                case "duplicate" -> t.same++;
                default -> t.failed.add(new ImportError(e.entry(), e.line(), r.problem().getMessage()));
            }
            if (e.ref() != null && r.interaction() != null) interactionOfRef.put(e.ref(), r.interaction().id());
        }
    }

    private void carryOverAll(Handle h, List<Entry> obligations, Instant now) {
        for (Entry e : obligations) carryOver(h, e.obligation(), now);
    }

    /**
     * A stored row of this person with the content of an exported row that has no externalId, found through
     * interactions_contact; a person not stored yet has none.
     */
    private Optional<Long> sameExported(Handle h, Ledger.NewInteraction n) {
        Long contact = n.person().contactId();
        if (contact == null) {
            Map.Entry<Platform, String> k;
            try {
                k = ledger.handleOf(n.person(), settings, "person");
            } catch (ApiProblem p) {
                return Optional.empty(); // reported when the row is recorded
            }
            contact = ledger.contactOfHandle(h, userId, k.getKey().id(), k.getValue()).orElse(null);
            if (contact == null) return Optional.empty();
        }
        return h.createQuery("""
                        select id from interactions where contact_id = :c and user_id = :u and occurred_at = :at and direction = :d
                          and kind = :k and coalesce(url, '') = coalesce(:url, '') and coalesce(note, '') = coalesce(:note, '') limit 1""")
                .bind("c", contact).bind("u", userId).bind("d", n.direction()).bind("k", n.kind()).bind("at", n.occurredAt())
                .bind("url", n.url()).bind("note", n.note()).mapTo(Long.class).findOne();
    }

    /** Roughly the text an entry holds (what a chunk's memory grows with). */
    static long chars(Entry e) {
        long n = 64;
        InteractionService.Create c = e.interaction();
        if (c != null) n += length(c.note()) + length(c.url()) + length(c.threadUrl()) + length(c.externalId()) + length(e.personName());
        if (e.contact() != null) n += length(e.contact().displayName()) + length(e.contact().notes());
        if (e.error() != null) n += length(e.error());
        return n;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    private Ledger.NewInteraction interaction(Handle h, Entry e, Instant now) {
        InteractionService.Create c = e.interaction();
        if (e.personName() != null) {
            // Validate first with a stand-in, so a bad entry creates no contact.
            InteractionService.validate(with(c, new PersonRef(null, null, null, Long.MAX_VALUE)), now, "");
            c = with(c, new PersonRef(null, null, null, contactNamed(h, e.personName(), now)));
        } else if (e.fromExport() && c.person() != null && c.person().contactId() != null) {
            Long mapped = contactOfRef.get(c.person().contactId());
            if (mapped == null) throw ApiProblem.unprocessable("person", "contact " + c.person().contactId() + " is not among the export's contacts");
            c = with(c, new PersonRef(null, null, null, mapped));
        }
        return InteractionService.validate(c, now, "");
    }

    private static InteractionService.Create with(InteractionService.Create c, PersonRef person) {
        return new InteractionService.Create(person, c.direction(), c.kind(), c.url(), c.threadUrl(), c.occurredAt(), c.note(),
                c.source(), c.externalId());
    }

    /** The oldest contact with this display name, or a new one (people LinkedIn names without a profile link). */
    private long contactNamed(Handle h, String name, Instant now) {
        String display = FormatReader.clip(name, 200);
        return h.createQuery("select id from contacts where user_id = :u and lower(display_name) = lower(:n) order by id limit 1")
                .bind("u", userId).bind("n", display).mapTo(Long.class).findOne()
                .orElseGet(() -> ledger.insertContact(h, userId, display, null, List.of(), null, now));
    }

    private List<Map.Entry<Platform, String>> handles(Handle h, Entry.Contact c) {
        List<Map.Entry<Platform, String>> keys = new ArrayList<>();
        for (PersonRef ref : c.handles()) {
            Map.Entry<Platform, String> k = ledger.handleOf(ref, settings, "handles");
            if (!ledger.isIdentity(h, userId, k.getKey().id(), k.getValue()) && !keys.contains(k)) keys.add(k);
        }
        return keys;
    }

    private Optional<Long> findContact(Handle h, Entry.Contact c) {
        try {
            for (Map.Entry<Platform, String> k : handles(h, c)) {
                Optional<Long> id = ledger.contactOfHandle(h, userId, k.getKey().id(), k.getValue());
                if (id.isPresent()) return id;
            }
        } catch (ApiProblem e) {
            return Optional.empty();
        }
        if (!c.handles().isEmpty()) return Optional.empty();
        return h.createQuery("""
                        select c.id from contacts c where c.user_id = :u and lower(c.display_name) = lower(:n)
                          and not exists (select 1 from handles x where x.contact_id = c.id) order by c.id limit 1""")
                .bind("u", userId).bind("n", FormatReader.clip(c.displayName(), 200)).mapTo(Long.class).findOne();
    }

    /** Finds the contact by any of its handles (or, with none, by name) or creates it; true when created. */
    private boolean writeContact(Handle h, Entry e, Instant now) {
        Entry.Contact c = e.contact();
        List<Map.Entry<Platform, String>> keys = handles(h, c);
        if (!c.handles().isEmpty() && keys.isEmpty()) throw ApiProblem.unprocessable("handles", "that is you (your own identity), not a contact");
        String name = FormatReader.clip(c.displayName(), 200);
        Optional<Long> existing = findContact(h, c);
        long id;
        boolean made = existing.isEmpty();
        if (existing.isPresent()) {
            id = existing.get();
            // A contact the ledger named after its handle gets the name the export knows.
            h.createUpdate("""
                            update contacts c set display_name = :n, updated_at = :now
                            where c.id = :id and c.user_id = :u and c.display_name <> :n
                              and exists (select 1 from handles x where x.contact_id = c.id and x.handle = c.display_name)""")
                    .bind("n", name).bind("now", now).bind("id", id).bind("u", userId).execute();
        } else {
            if (c.cadenceDays() != null && (c.cadenceDays() < 1 || c.cadenceDays() > 3650)) {
                throw ApiProblem.badRequest("cadenceDays", "cadenceDays must be between 1 and 3650");
            }
            id = ledger.insertContact(h, userId, name, FormatReader.clip(c.notes(), 5000), c.tags() == null ? List.of() : c.tags(),
                    c.cadenceDays(), now);
        }
        for (Map.Entry<Platform, String> k : keys) {
            h.createUpdate("""
                            insert into handles (user_id, contact_id, platform, handle, created_at) values (:u, :c, :p, :h, :now)
                            on conflict (user_id, platform, handle) do nothing""")
                    .bind("u", userId).bind("c", id).bind("p", k.getKey().id()).bind("h", k.getValue()).bind("now", now).execute();
        }
        if (made && c.cadenceDays() != null) ledger.recompute(h, userId, settings, id, now);
        if (e.ref() != null) contactOfRef.put(e.ref(), id);
        return made;
    }

    /** A dismissed or snoozed obligation of the export, applied to the one the ledger derived again. */
    private void carryOver(Handle h, Entry.ObligationState o, Instant now) {
        String set = "state = :state, snoozed_until = :until";
        if ("reply".equals(o.type()) && o.interactionRef() != null) {
            Long interaction = interactionOfRef.get(o.interactionRef());
            if (interaction == null) return;
            h.createUpdate("update obligations set " + set + " where user_id = :u and id = :i and interaction_id = :i and state in ('open', 'snoozed')")
                    .bind("state", o.state()).bind("until", o.snoozedUntil()).bind("u", userId).bind("i", interaction).execute();
        } else if (o.contactRef() != null && ("giveBack".equals(o.type()) || "keepInTouch".equals(o.type()))) {
            Long contact = contactOfRef.get(o.contactRef());
            if (contact == null) return;
            h.createUpdate("update obligations set " + set + """
                             where user_id = :u and contact_id = :c and type = :t and state in ('open', 'snoozed')
                              and (closes_at is null or closes_at > :now)""")
                    .bind("state", o.state()).bind("until", o.snoozedUntil()).bind("u", userId).bind("c", contact)
                    .bind("t", o.type()).bind("now", now).execute();
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
