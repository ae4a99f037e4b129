package reciprocity.obligations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import reciprocity.account.AccountService;
import reciprocity.account.Settings;
import reciprocity.ledger.Ledger;
import reciprocity.ledger.ObligationView;
import reciprocity.lookup.PackedLedger;
import reciprocity.lookup.ReadModel;
import reciprocity.web.ApiProblem;
import reciprocity.web.Cursors;
import reciprocity.web.Page;

/** What the user owes: listed by urgency, snoozed, dismissed, reopened; and the toolbar summary. */
public final class ObligationService {
    public static final Set<String> STATES = Set.of("open", "snoozed", "dismissed", "resolved");
    public static final Set<String> TYPES = Set.of("reply", "giveBack", "keepInTouch");
    private static final String SELECT = "select o.*, c.display_name contact_name, c.cadence_days, i.kind, "
            + Ledger.EFFECTIVE_STATE + " effective, " + Ledger.URGENCY_RANK + " rank "
            + "from obligations o join contacts c on c.id = o.contact_id left join interactions i on i.id = o.interaction_id ";

    /** `GET /v1/summary`. */
    public record Summary(int open, int overdue, int due, List<ObligationView> top) {}

    /** `POST /v1/obligations/{id}/snooze`. */
    public record Snooze(Instant until) {}

    private final Jdbi jdbi;
    private final AccountService accounts;
    private final Clock clock;
    private final Cursors cursors;
    private final ReadModel model;

    public ObligationService(Jdbi jdbi, AccountService accounts, Clock clock, Cursors cursors, ReadModel model) {
        this.jdbi = jdbi;
        this.accounts = accounts;
        this.clock = clock;
        this.cursors = cursors;
        this.model = model;
    }

    public Page<ObligationView> list(long userId, String state, String type, Long contactId, String cursor, int limit) {
        String wanted = state == null ? "open" : state;
        // What is open now is in the user's in-memory ledger already; the other states are read from the database.
        if ("open".equals(wanted)) return listOpen(userId, type, contactId, cursor, limit);
        Settings s = accounts.settings(userId);
        Instant now = clock.instant();
        StringBuilder where = new StringBuilder(" where o.user_id = :u");
        where.append(switch (wanted) {
            case "open" -> " and " + Ledger.OPEN_AT_NOW;
            case "snoozed" -> " and o.state = 'snoozed' and o.snoozed_until > :now and (o.closes_at is null or o.closes_at > :now)";
            case "dismissed" -> " and o.state = 'dismissed' and (o.closes_at is null or o.closes_at > :now)";
            default -> " and (o.state = 'resolved' or (o.closes_at is not null and o.closes_at <= :now))";
        });
        if (type != null) where.append(" and o.type = :type");
        if (contactId != null) where.append(" and o.contact_id = :contactId");
        String list = "obligations:" + wanted;
        Integer afterRank = null;
        Instant afterOpened = null;
        Long afterId = null;
        if (cursor != null) {
            List<String> v = cursors.decode(userId, list, cursor, 3);
            afterRank = Integer.parseInt(v.get(0));
            afterOpened = Instant.parse(v.get(1));
            afterId = Long.parseLong(v.get(2));
        }
        String sql = "select * from (" + SELECT + where + ") x"
                + (cursor == null ? "" : " where (rank, opened_at, id) > (:afterRank, :afterOpened, :afterId)")
                + " order by rank, opened_at, id limit :limit";
        Integer ar = afterRank;
        Instant ao = afterOpened;
        Long ai = afterId;
        List<Row> rows = jdbi.withHandle(h -> h.createQuery(sql)
                .bind("u", userId).bind("now", now).bind("overdueBefore", Ledger.overdueBefore(s, now))
                .bind("type", type).bind("contactId", contactId).bind("afterRank", ar).bind("afterOpened", ao).bind("afterId", ai)
                .bind("limit", limit + 1)
                .map((rs, ctx) -> new Row(rs.getInt("rank"), Ledger.view(rs, s, now))).list());
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            Row last = rows.get(limit - 1);
            next = cursors.encode(userId, list, List.of(Integer.toString(last.rank()), last.view().openedAt().toString(),
                    Long.toString(last.view().id())));
        }
        return new Page<>(rows.stream().map(Row::view).toList(), next);
    }

    private record Row(int rank, ObligationView view) {}

    private Page<ObligationView> listOpen(long userId, String type, Long contactId, String cursor, int limit) {
        String list = "obligations:open";
        PackedLedger.Position after = null;
        if (cursor != null) {
            List<String> v = cursors.decode(userId, list, cursor, 3);
            after = new PackedLedger.Position(Integer.parseInt(v.get(0)), Instant.parse(v.get(1)), Long.parseLong(v.get(2)));
        }
        PackedLedger ledger = model.ledger(userId);
        List<PackedLedger.Ranked> rows = ledger.open(clock.instant(), type, contactId, after, limit + 1);
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            PackedLedger.Ranked last = rows.get(limit - 1);
            next = cursors.encode(userId, list, List.of(Integer.toString(last.rank()), last.view().openedAt().toString(),
                    Long.toString(last.view().id())));
        }
        return new Page<>(rows.stream().map(PackedLedger.Ranked::view).toList(), next);
    }

    public Summary summary(long userId) {
        Settings s = accounts.settings(userId);
        Instant now = clock.instant();
        Instant overdueBefore = Ledger.overdueBefore(s, now);
        return jdbi.withHandle(h -> {
            var counts = h.createQuery("""
                            select count(*) open,
                                   count(*) filter (where o.type = 'reply' and o.opened_at <= :overdueBefore) overdue,
                                   count(*) filter (where o.type = 'reply' and o.opened_at > :overdueBefore) due
                            from obligations o where o.user_id = :u and """ + Ledger.OPEN_AT_NOW)
                    .bind("u", userId).bind("now", now).bind("overdueBefore", overdueBefore).mapToMap().one();
            List<ObligationView> top = h.createQuery(SELECT + " where o.user_id = :u and " + Ledger.OPEN_AT_NOW
                            + " order by rank, o.opened_at, o.id limit 5")
                    .bind("u", userId).bind("now", now).bind("overdueBefore", overdueBefore)
                    .map((rs, ctx) -> Ledger.view(rs, s, now)).list();
            return new Summary(((Number) counts.get("open")).intValue(), ((Number) counts.get("overdue")).intValue(),
                    ((Number) counts.get("due")).intValue(), top);
        });
    }

    public ObligationView snooze(long userId, long id, Snooze request) {
        Instant now = clock.instant();
        if (request == null || request.until() == null) throw ApiProblem.badRequest("until", "until is required (an RFC 3339 time)");
        if (!request.until().isAfter(now)) throw ApiProblem.badRequest("until", "until must be in the future");
        if (request.until().isAfter(now.plus(Duration.ofDays(366)))) throw ApiProblem.badRequest("until", "until must be within a year");
        return change(userId, id, now, Set.of("open", "snoozed"), "snoozed", request.until(),
                "Only open or snoozed obligations can be snoozed");
    }

    public ObligationView dismiss(long userId, long id) {
        return change(userId, id, clock.instant(), Set.of("open", "snoozed"), "dismissed", null,
                "Only open or snoozed obligations can be dismissed");
    }

    public ObligationView reopen(long userId, long id) {
        return change(userId, id, clock.instant(), Set.of("snoozed", "dismissed"), "open", null,
                "Only snoozed or dismissed obligations can be reopened; resolved ones reopen when what resolved them is deleted");
    }

    private ObligationView change(long userId, long id, Instant now, Set<String> from, String to, Instant until, String refusal) {
        Settings s = accounts.settings(userId);
        return jdbi.inTransaction(h -> {
            ObligationView current = find(h, userId, id, s, now, true);
            if (!from.contains(current.state())) throw ApiProblem.conflict(refusal + " (this one is " + current.state() + ")");
            h.createUpdate("update obligations set state = :to, snoozed_until = :until where user_id = :u and id = :id")
                    .bind("to", to).bind("until", until).bind("u", userId).bind("id", id).execute();
            return find(h, userId, id, s, now, false);
        });
    }

    private static ObligationView find(Handle h, long userId, long id, Settings s, Instant now, boolean lock) {
        return h.createQuery(SELECT + " where o.user_id = :u and o.id = :id" + (lock ? " for update of o" : ""))
                .bind("u", userId).bind("id", id).bind("now", now).bind("overdueBefore", Ledger.overdueBefore(s, now))
                .map((rs, ctx) -> Ledger.view(rs, s, now)).findOne()
                .filter(o -> !"pending".equals(o.state()))
                .orElseThrow(() -> ApiProblem.notFound("Obligation " + id));
    }
}
