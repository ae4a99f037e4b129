package reciprocity.lookup;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import reciprocity.account.Settings;
import reciprocity.db.ChangeFeed;
import reciprocity.ledger.Ledger;
import reciprocity.ledger.ObligationView;
import reciprocity.web.JsonWriter;

/**
 * One user's ledger as the read path needs it, packed into primitive arrays: contacts by id with their balance and last
 * touch, each contact's open and snoozed obligations beside them, and the user's handles in a {@link HandleIndex}.
 * A hundred users of a thousand people each are a few thousand objects for the collector, not millions, and a
 * person's summary is written as JSON straight from the arrays at the current time, without building it first.
 *
 * <p>Times are microseconds since the epoch (PostgreSQL's precision); comparisons with a finer {@code now} are exact
 * because an integer is at most (less than) a real number exactly when it is at most (less than) its floor.
 *
 * <p>A summary, once written, is kept as bytes beside the arrays (while the shared {@link ByteBudget} has room) and
 * served again until the next instant at which it could read differently ({@link #nextChange}); a change to the
 * user's data replaces the whole ledger, and its kept summaries with it.
 */
public final class PackedLedger {
    private static final long NONE = Long.MIN_VALUE;
    private static final long FOREVER = Long.MAX_VALUE;
    private static final String[] TYPES = {"reply", "giveBack", "keepInTouch"};
    private static final byte REPLY = 0, GIVE_BACK = 1;

    private static final byte[] CONTACT_ID = JsonWriter.ascii("{\"contactId\":"), DISPLAY_NAME = JsonWriter.ascii(",\"displayName\":"),
            BALANCE = JsonWriter.ascii(",\"balance\":"), LAST = JsonWriter.ascii(",\"lastInteractionAt\":"),
            OWED_REPLY = JsonWriter.ascii(",\"owed\":{\"reply\":"), OWED_GIVE_BACK = JsonWriter.ascii(",\"giveBack\":"),
            OWED_KEEP = JsonWriter.ascii(",\"keepInTouch\":"), OBLIGATIONS = JsonWriter.ascii("},\"obligations\":["),
            BRIEF_ID = JsonWriter.ascii("{\"id\":"), BRIEF_TYPE = JsonWriter.ascii(",\"type\":"), BRIEF_REASON = JsonWriter.ascii(",\"reason\":"),
            BRIEF_URL = JsonWriter.ascii(",\"url\":"), BRIEF_OPENED = JsonWriter.ascii(",\"openedAt\":"),
            BRIEF_OVERDUE = JsonWriter.ascii(",\"overdue\":"), BADGE = JsonWriter.ascii("],\"badge\":{\"text\":\""),
            COLOR = JsonWriter.ascii("\",\"color\":\""), END = JsonWriter.ascii("\"}}");
    private static final byte[][] TYPE_JSON = {json("reply"), json("giveBack"), json("keepInTouch")};
    // Reasons that do not depend on the contact: a reply's by interaction kind (index KINDS.size() for none), then
    // give-back, then keep-in-touch without a cadence.
    private static final byte[][] REPLY_REASON = new byte[Settings.KINDS.size() + 1][];
    private static final byte[] GIVE_BACK_REASON = json(Ledger.reason("giveBack", null, null));
    private static final byte[] KEEP_IN_TOUCH_REASON = json(Ledger.reason("keepInTouch", null, null));

    static {
        for (int k = 0; k <= Settings.KINDS.size(); k++) {
            REPLY_REASON[k] = json(Ledger.reason("reply", k < Settings.KINDS.size() ? Settings.KINDS.get(k) : null, null));
        }
    }

    private static byte[] json(String text) {
        return new JsonWriter(64).string(text).toBytes();
    }

    private static final byte[][] COLORS = {JsonWriter.ascii("none"), JsonWriter.ascii("red"), JsonWriter.ascii("amber"), JsonWriter.ascii("blue")};
    /** A kept summary's array starts with the two instants between which it holds (see {@link #summaries}). */
    private static final int FROM = 0, UNTIL = 8, JSON = 16;
    /** What a kept summary costs beyond its length: the array's header. */
    private static final int ARRAY_HEADER = 16;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle KEPT = MethodHandles.arrayElementVarHandle(byte[][].class);
    /** A kept summary is written afresh at least this often (microseconds), whatever its next change. */
    private static final long MAX_KEEP = 86_400_000_000L;

    final ChangeFeed.Stamp stamp;
    private final Settings settings;
    private final Set<String> mastodonInstances;
    private final double halfLifeSeconds;
    private final long replyWindowMicros;
    private final HandleIndex identities;
    private final HandleIndex handles;

    // Contacts, ordered by id, and the obligations beside them, each packed into one array of longs with a fixed stride,
    // so that writing one person's summary reads a few neighbouring cache lines rather than one line in each of a
    // dozen arrays: when a batch looks up people across many users, each of those reads is a miss of the CPU's caches.
    /** Per contact: id, balance (raw double bits), balance_at, last_interaction_at, name span, row span, cadence days. */
    private static final int C = 7, C_ID = 0, C_BALANCE = 1, C_BALANCE_AT = 2, C_LAST = 3, C_NAME = 4, C_ROWS = 5, C_CADENCE = 6;
    /**
     * Per obligation that is open or snoozed and not yet closed when loaded, by contact, then opened_at and id: id,
     * opened_at, closes_at, snoozed_until, URL span (-1: none), and type | kind + 1 << 8 | snoozed << 16 | contact << 32.
     */
    private static final int R = 6, R_ID = 0, R_OPENED = 1, R_CLOSES = 2, R_SNOOZED_UNTIL = 3, R_URL = 4, R_META = 5;
    /** A span of text as {@code start << 32 | end}. */
    private final long[] contacts;
    private final int n;
    private final long[] rows;
    private final int rowCount;
    private final String names;
    private final String urls;

    // Kept summaries by contact (null: none yet): the instant it was written and the instant before which it reads the
    // same (microseconds, two longs), then its JSON. One array per summary, so that serving it touches one place in
    // memory; never changed once kept, so read without a lock (published with release, read with acquire) and
    // replaced whole under this ledger's lock.
    private final byte[][] summaries;
    private final ByteBudget budget;
    private long keptBytes; // guarded by this
    private boolean dropped; // guarded by this

    private PackedLedger(ChangeFeed.Stamp stamp, Settings settings, HandleIndex identities, List<Contact> contacts,
                         List<Row> rows, List<HandleRow> handleRows, ByteBudget budget) {
        this.stamp = stamp;
        this.budget = budget;
        this.settings = settings;
        this.mastodonInstances = settings.mastodonInstanceSet();
        this.halfLifeSeconds = settings.halfLifeDays() * 86_400.0;
        this.replyWindowMicros = settings.replyWindowHours() * 3_600_000_000L;
        this.identities = identities;
        int n = contacts.size();
        this.n = n;
        summaries = new byte[n][];
        this.contacts = new long[n * C];
        StringBuilder nameText = new StringBuilder(n * 12);
        for (int i = 0; i < n; i++) {
            Contact c = contacts.get(i);
            int at = i * C;
            this.contacts[at + C_ID] = c.id;
            this.contacts[at + C_BALANCE] = Double.doubleToRawLongBits(c.balance);
            this.contacts[at + C_BALANCE_AT] = c.balanceAt;
            this.contacts[at + C_LAST] = c.lastInteractionAt;
            this.contacts[at + C_CADENCE] = c.cadenceDays;
            int start = nameText.length();
            nameText.append(c.name);
            this.contacts[at + C_NAME] = span(start, nameText.length());
        }
        names = nameText.toString();

        // Rows come ordered by contact id, as the contacts are.
        this.rows = new long[rows.size() * R];
        StringBuilder urlText = new StringBuilder();
        int kept = 0, c = 0, first = 0;
        for (Row r : rows) {
            int found = indexOf(r.contactId);
            if (found < 0) continue;
            for (; c < found; c++) {
                this.contacts[c * C + C_ROWS] = span(first, kept);
                first = kept;
            }
            int at = kept * R;
            this.rows[at + R_ID] = r.id;
            this.rows[at + R_OPENED] = r.openedAt;
            this.rows[at + R_CLOSES] = r.closesAt;
            this.rows[at + R_SNOOZED_UNTIL] = r.snoozedUntil;
            if (r.url == null) {
                this.rows[at + R_URL] = -1;
            } else {
                int start = urlText.length();
                urlText.append(r.url);
                this.rows[at + R_URL] = span(start, urlText.length());
            }
            this.rows[at + R_META] = (r.type & 0xffL) | ((r.kind + 1) & 0xffL) << 8 | (r.snoozed ? 1L << 16 : 0) | (long) found << 32;
            kept++;
        }
        for (; c < n; c++) {
            this.contacts[c * C + C_ROWS] = span(first, kept);
            first = kept;
        }
        rowCount = kept;
        urls = urlText.toString();

        List<HandleIndex.Entry> mapped = new ArrayList<>(handleRows.size());
        for (HandleRow e : handleRows) {
            int at = indexOf(e.contactId());
            if (at >= 0) mapped.add(new HandleIndex.Entry(e.platform(), e.handle(), at));
        }
        this.handles = new HandleIndex(mapped);
    }

    private record Contact(long id, String name, double balance, long balanceAt, long lastInteractionAt, int cadenceDays) {}

    private record HandleRow(String platform, String handle, long contactId) {}

    private record Row(long id, long contactId, byte type, byte kind, boolean snoozed, long openedAt, long closesAt,
                       long snoozedUntil, String url) {}

    /**
     * Reads one user's ledger in the caller's transaction (which should be one snapshot): every obligation that is or
     * may become open after {@code now}, and every contact and handle.
     */
    static PackedLedger load(Handle h, long userId, ChangeFeed.Stamp stamp, Settings settings, Instant now, ByteBudget budget) {
        List<HandleIndex.Entry> own = h.createQuery("select platform, handle from identities where user_id = :u")
                .bind("u", userId).map((rs, ctx) -> new HandleIndex.Entry(rs.getString(1), rs.getString(2), 0)).list();
        List<Contact> contacts = h.createQuery("""
                        select id, display_name, balance, balance_at, last_interaction_at, cadence_days
                        from contacts where user_id = :u order by id""")
                .bind("u", userId)
                .map((rs, ctx) -> new Contact(rs.getLong(1), rs.getString(2), rs.getDouble(3), micros(rs, 4), micros(rs, 5),
                        rs.getObject(6) == null ? -1 : rs.getInt(6)))
                .list();
        List<Row> rows = h.createQuery("""
                        select o.id, o.contact_id, o.type, o.state, o.opened_at, o.closes_at, o.snoozed_until, o.url, i.kind
                        from obligations o left join interactions i on i.id = o.interaction_id
                        where o.user_id = :u and o.state in ('open', 'snoozed') and (o.closes_at is null or o.closes_at > :now)
                        order by o.contact_id, o.opened_at, o.id""")
                .bind("u", userId).bind("now", now)
                .map((rs, ctx) -> {
                    long closes = micros(rs, 6);
                    return new Row(rs.getLong(1), rs.getLong(2), (byte) Arrays.asList(TYPES).indexOf(rs.getString(3)),
                            kindCode(rs.getString(9)), "snoozed".equals(rs.getString(4)), micros(rs, 5),
                            closes == NONE ? FOREVER : closes, micros(rs, 7), rs.getString(8));
                })
                .list();
        List<HandleRow> handleRows = h.createQuery("select platform, handle, contact_id from handles where user_id = :u")
                .bind("u", userId).map((rs, ctx) -> new HandleRow(rs.getString(1), rs.getString(2), rs.getLong(3))).list();
        return new PackedLedger(stamp, settings, new HandleIndex(own), contacts, rows, handleRows, budget);
    }

    private static byte kindCode(String kind) {
        // List.of(...).indexOf(null) throws; a reply row without its interaction has no kind.
        return (byte) (kind == null ? -1 : Settings.KINDS.indexOf(kind));
    }

    private static long micros(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? NONE : micros(t.toInstant());
    }

    /** Microseconds since the epoch, rounded down. */
    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    private static Instant instant(long micros) {
        return micros == NONE ? null : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    public Settings settings() {
        return settings;
    }

    public Set<String> mastodonInstances() {
        return mastodonInstances;
    }

    /** Whether this is one of the user's own identities. */
    public boolean isSelf(String platform, String handle) {
        return identities.contains(platform, handle);
    }

    /** The position of the person with this handle, or -1. */
    public int contactOf(String platform, String handle) {
        return handles.get(platform, handle);
    }

    public int contactCount() {
        return n;
    }

    private static long span(int start, int end) {
        return (long) start << 32 | end;
    }

    /** The position of the contact with this id, or a negative number. */
    private int indexOf(long contactId) {
        int lo = 0, hi = n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long id = contacts[mid * C + C_ID];
            if (id < contactId) lo = mid + 1;
            else if (id > contactId) hi = mid - 1;
            else return mid;
        }
        return -1;
    }

    private long contactId(int c) {
        return contacts[c * C + C_ID];
    }

    private double balance(int c) {
        return Double.longBitsToDouble(contacts[c * C + C_BALANCE]);
    }

    private long balanceAt(int c) {
        return contacts[c * C + C_BALANCE_AT];
    }

    private long lastAt(int c) {
        return contacts[c * C + C_LAST];
    }

    private int cadence(int c) {
        return (int) contacts[c * C + C_CADENCE];
    }

    private int nameFrom(int c) {
        return (int) (contacts[c * C + C_NAME] >>> 32);
    }

    private int nameTo(int c) {
        return (int) contacts[c * C + C_NAME];
    }

    private int rowFrom(int c) {
        return (int) (contacts[c * C + C_ROWS] >>> 32);
    }

    private int rowTo(int c) {
        return (int) contacts[c * C + C_ROWS];
    }

    private long rowId(int r) {
        return rows[r * R + R_ID];
    }

    private long openedAt(int r) {
        return rows[r * R + R_OPENED];
    }

    private long closesAt(int r) {
        return rows[r * R + R_CLOSES];
    }

    private long snoozedUntil(int r) {
        return rows[r * R + R_SNOOZED_UNTIL];
    }

    private byte type(int r) {
        return (byte) rows[r * R + R_META];
    }

    /** The kind of a reply's interaction, or -1. */
    private byte kind(int r) {
        return (byte) (((rows[r * R + R_META] >>> 8) & 0xff) - 1);
    }

    private boolean snoozed(int r) {
        return (rows[r * R + R_META] & 1L << 16) != 0;
    }

    private int rowContact(int r) {
        return (int) (rows[r * R + R_META] >>> 32);
    }

    private boolean openAt(int r, long now) {
        return (!snoozed(r) || (snoozedUntil(r) != NONE && snoozedUntil(r) <= now)) && openedAt(r) <= now && closesAt(r) > now;
    }

    /** Most urgent first: overdue replies, replies due, give-back, keep-in-touch. */
    private int rank(int r, long overdueBefore) {
        return type(r) == REPLY ? (openedAt(r) > overdueBefore ? 1 : 0) : type(r) + 1;
    }

    private String reason(int r) {
        int c = rowContact(r);
        return Ledger.reason(TYPES[type(r)], kind(r) < 0 ? null : Settings.KINDS.get(kind(r)),
                cadence(c) < 0 ? null : cadence(c));
    }

    private void writeReason(JsonWriter out, int r) {
        switch (type(r)) {
            case REPLY -> out.raw(REPLY_REASON[kind(r) < 0 ? Settings.KINDS.size() : kind(r)]);
            case GIVE_BACK -> out.raw(GIVE_BACK_REASON);
            default -> {
                if (cadence(rowContact(r)) < 0) {
                    out.raw(KEEP_IN_TOUCH_REASON);
                } else {
                    out.string(reason(r));
                }
            }
        }
    }

    private void url(JsonWriter out, int r) {
        long span = rows[r * R + R_URL];
        if (span < 0) {
            out.nul();
        } else {
            out.string(urls, (int) (span >>> 32), (int) span);
        }
    }

    /** What the user owes person {@code c} at {@code now}, as the JSON of a PersonSummary. */
    public void writeSummary(JsonWriter out, int c, Instant now) {
        writeSummary(out, c, now, keptAt(c, micros(now)));
    }

    /**
     * The summary of person {@code c} kept for the moment {@code t} (micros), or null. On its own so that a batch can
     * read every person's before writing any: each is mostly a cache miss, and read in a loop of their own the CPU
     * waits for several at once.
     */
    byte[] keptAt(int c, long t) {
        byte[] kept = (byte[]) KEPT.getAcquire(summaries, c);
        return kept != null && (long) LONGS.get(kept, FROM) <= t && t < (long) LONGS.get(kept, UNTIL) ? kept : null;
    }

    /** As above, with {@code keptNow} from {@link #keptAt} for the same moment (null: written afresh, and kept). */
    void writeSummary(JsonWriter out, int c, Instant now, byte[] keptNow) {
        if (keptNow != null) {
            out.raw(keptNow, JSON, keptNow.length - JSON);
            return;
        }
        long t = micros(now);
        byte[] kept = (byte[]) KEPT.getAcquire(summaries, c);
        int mark = out.length();
        writeSummary(out, c, t);
        // The next change is worth finding only for a copy the budget can take (in place of the old one, if any).
        long room = budget.left() + (kept == null ? 0 : kept.length + ARRAY_HEADER);
        if (room >= JSON + out.length() - mark + ARRAY_HEADER) {
            byte[] copy = out.bytesFrom(mark, JSON);
            LONGS.set(copy, FROM, t);
            LONGS.set(copy, UNTIL, nextChange(c, t));
            keep(c, copy);
        }
    }

    private synchronized void keep(int c, byte[] copy) {
        if (dropped) return;
        byte[] old = summaries[c];
        long oldSize = old == null ? 0 : old.length + ARRAY_HEADER;
        long more = copy.length + ARRAY_HEADER - oldSize;
        if (more > 0 && !budget.take(more)) {
            // No room for the new copy: give back the old one rather than keep what no longer holds.
            summaries[c] = null;
            budget.give(oldSize);
            keptBytes -= oldSize;
            return;
        }
        if (more < 0) budget.give(-more);
        KEPT.setRelease(summaries, c, copy);
        keptBytes += more;
    }

    /** Forgets the kept summaries and gives their bytes back; called once the ledger is no longer served. */
    synchronized void drop() {
        dropped = true;
        budget.give(keptBytes);
        keptBytes = 0;
        Arrays.fill(summaries, null);
    }

    /**
     * The first instant after {@code t} (microseconds) at which person {@code c}'s summary may read differently, at most
     * {@link #MAX_KEEP} later: an obligation opens, closes, wakes from its snooze or becomes overdue, or the decayed
     * balance changes in its third decimal. The summary reads the same at every instant from t until then.
     */
    long nextChange(int c, long t) {
        long next = t + MAX_KEEP;
        for (int r = rowFrom(c); r < rowTo(c); r++) {
            next = earliest(next, t, openedAt(r));
            next = earliest(next, t, closesAt(r));
            if (snoozed(r)) next = earliest(next, t, snoozedUntil(r));
            if (type(r) == REPLY) next = earliest(next, t, openedAt(r) + replyWindowMicros);
        }
        return balanceChange(c, t, next);
    }

    private static long earliest(long next, long t, long at) {
        return at > t && at < next ? at : next;
    }

    /** The first instant in (t, limit) at which the decayed balance of {@code c} reads differently than at t, or limit. */
    private long balanceChange(int c, long t, long limit) {
        long at = balanceAt(c);
        long lo = Math.floorDiv(t - at, 1000L), hi = Math.floorDiv(limit - 1 - at, 1000L);
        long then = decayed(c, lo);
        if (decayed(c, hi) == then) return limit;
        // The decayed balance moves one way only as time passes (Math.pow is semi-monotonic, and so is rounding), so
        // the first whole millisecond at which it differs is found by bisection: decayed(lo) == then != decayed(hi).
        // Solving balance * 2^(-s / halfLife) * 1000 = then -/+ 1/2 (where the rounding turns) gives the millisecond
        // nearly exactly; when a few milliseconds either side of it bracket the change, bisection starts from there.
        double edge = (then > 0 ? then - 0.5 : then + 0.5) / (balance(c) * 1000.0);
        if (edge > 0 && edge < 1) {
            double guess = -Math.log(edge) / Math.log(2) * halfLifeSeconds * 1000.0;
            if (guess > lo && guess < hi) {
                long g = (long) guess;
                long a = Math.max(lo, g - 2), b = Math.min(hi, g + 3);
                if (decayed(c, a) == then && decayed(c, b) != then) {
                    lo = a;
                    hi = b;
                }
            }
        }
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (decayed(c, mid) == then) lo = mid;
            else hi = mid;
        }
        return at + hi * 1000L;
    }

    /**
     * Same as Ledger.decayed, in thousandths (rounded as the API shows it, {@code thousandths / 1000.0}): the balance
     * {@code millis} whole milliseconds after balance_at.
     */
    private long decayed(int c, long millis) {
        double seconds = millis / 1000.0;
        return Math.round(balance(c) * Math.pow(2, -seconds / halfLifeSeconds) * 1000.0);
    }

    private void writeSummary(JsonWriter out, int c, long t) {
        long overdueBefore = t - replyWindowMicros;
        int from = rowFrom(c), to = rowTo(c);
        int open = 0, replies = 0;
        boolean giveBack = false, keepInTouch = false, overdue = false;
        for (int r = from; r < to; r++) {
            if (!openAt(r, t)) continue;
            open++;
            switch (type(r)) {
                case REPLY -> {
                    replies++;
                    overdue |= openedAt(r) <= overdueBefore;
                }
                case GIVE_BACK -> giveBack = true;
                default -> keepInTouch = true;
            }
        }
        // Same as Ledger.decayed: whole milliseconds between balance_at and now.
        long decayed = decayed(c, Math.floorDiv(t - balanceAt(c), 1000L));
        out.raw(CONTACT_ID).number(contactId(c)).raw(DISPLAY_NAME).string(names, nameFrom(c), nameTo(c))
                .raw(BALANCE).thousandths(decayed).raw(LAST).instantMicros(lastAt(c))
                .raw(OWED_REPLY).number(replies).raw(OWED_GIVE_BACK).bool(giveBack).raw(OWED_KEEP).bool(keepInTouch)
                .raw(OBLIGATIONS);
        // Rows are kept by opened_at and id, so walking them once per rank gives the urgency order without sorting.
        int written = 0;
        for (int rank = 0; rank < 4 && written < 5; rank++) {
            for (int r = from; r < to && written < 5; r++) {
                if (!openAt(r, t) || rank(r, overdueBefore) != rank) continue;
                if (written++ > 0) out.raw(',');
                out.raw(BRIEF_ID).number(rowId(r)).raw(BRIEF_TYPE).raw(TYPE_JSON[type(r)]).raw(BRIEF_REASON);
                writeReason(out, r);
                out.raw(BRIEF_URL);
                url(out, r);
                out.raw(BRIEF_OPENED).instantMicros(openedAt(r)).raw(BRIEF_OVERDUE).bool(rank == 0).raw('}');
            }
        }
        out.raw(BADGE);
        if (open > 0) out.number(open);
        out.raw(COLOR).raw(COLORS[open == 0 ? 0 : overdue ? 1 : replies > 0 ? 2 : 3]).raw(END);
    }

    /** A position in the urgency order of open obligations: {@code (rank, openedAt, id)}. */
    public record Position(int rank, Instant openedAt, long id) {}

    /**
     * Up to {@code limit} obligations open at {@code now}, most urgent first, after {@code after} (null: from the
     * start), of one type and one contact when those are given.
     */
    public record Ranked(int rank, ObligationView view) {}

    public List<Ranked> open(Instant now, String type, Long contactId, Position after, int limit) {
        long t = micros(now);
        long overdueBefore = t - replyWindowMicros;
        int wantedType = type == null ? -1 : Arrays.asList(TYPES).indexOf(type);
        int from = 0, to = rowCount;
        if (contactId != null) {
            int c = indexOf(contactId);
            if (c < 0) return List.of();
            from = rowFrom(c);
            to = rowTo(c);
        }
        long afterOpened = after == null ? 0 : micros(after.openedAt());
        // The best `limit` rows so far, kept in order; a row worse than the last of a full list is skipped at once.
        int[] best = new int[Math.max(1, limit)];
        int[] bestRank = new int[best.length];
        int count = 0;
        for (int r = from; r < to; r++) {
            if (wantedType >= 0 && type(r) != wantedType) continue;
            if (!openAt(r, t)) continue;
            int rank = rank(r, overdueBefore);
            if (after != null && compare(rank, openedAt(r), rowId(r), after.rank(), afterOpened, after.id()) <= 0) continue;
            if (count == best.length && compare(rank, openedAt(r), rowId(r), bestRank[count - 1], openedAt(best[count - 1]), rowId(best[count - 1])) >= 0) {
                continue;
            }
            int i = count == best.length ? count - 1 : count++;
            while (i > 0 && compare(rank, openedAt(r), rowId(r), bestRank[i - 1], openedAt(best[i - 1]), rowId(best[i - 1])) < 0) {
                best[i] = best[i - 1];
                bestRank[i] = bestRank[i - 1];
                i--;
            }
            best[i] = r;
            bestRank[i] = rank;
        }
        List<Ranked> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int r = best[i];
            int c = rowContact(r);
            out.add(new Ranked(bestRank[i], new ObligationView(rowId(r), TYPES[type(r)], "open", bestRank[i] == 0, contactId(c),
                    names.substring(nameFrom(c), nameTo(c)), reason(r), urlOf(r), instant(openedAt(r)), null, null)));
        }
        return out;
    }

    private String urlOf(int r) {
        long span = rows[r * R + R_URL];
        return span < 0 ? null : urls.substring((int) (span >>> 32), (int) span);
    }

    private static int compare(int rankA, long openedA, long idA, int rankB, long openedB, long idB) {
        if (rankA != rankB) return Integer.compare(rankA, rankB);
        if (openedA != openedB) return Long.compare(openedA, openedB);
        return Long.compare(idA, idB);
    }
}
