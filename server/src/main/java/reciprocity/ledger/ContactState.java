package reciprocity.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import reciprocity.account.Settings;

/**
 * One contact's ledger as stored: enough to say what the user owes them at any moment without another query, which
 * is what lets summaries be computed from a cached copy as time passes.
 */
public record ContactState(long id, String displayName, double balance, Instant balanceAt, Instant lastInteractionAt,
                           List<Row> obligations) {

    /** An open or snoozed obligation row (its visibility at a given time is decided by {@link #openAt}). */
    public record Row(long id, String type, String state, Instant openedAt, Instant closesAt, Instant snoozedUntil,
                      String url, String kind, Integer cadenceDays) {

        boolean openAt(Instant now) {
            return ("open".equals(state) || ("snoozed".equals(state) && snoozedUntil != null && !snoozedUntil.isAfter(now)))
                    && !openedAt.isAfter(now) && (closesAt == null || closesAt.isAfter(now));
        }

        int rank(Instant overdueBefore) {
            return switch (type) {
                case "reply" -> openedAt.isAfter(overdueBefore) ? 1 : 0;
                case "giveBack" -> 2;
                default -> 3;
            };
        }
    }

    /** What the user owes this person at {@code now}: counts, the five most urgent, and the badge. */
    public PersonSummary summarize(Settings s, Instant now) {
        Instant overdueBefore = Ledger.overdueBefore(s, now);
        List<Row> open = new ArrayList<>();
        for (Row r : obligations) if (r.openAt(now)) open.add(r);
        open.sort(Comparator.comparingInt((Row r) -> r.rank(overdueBefore)).thenComparing(Row::openedAt).thenComparingLong(Row::id));
        int replies = 0;
        boolean giveBack = false, keepInTouch = false, overdue = false;
        List<PersonSummary.Brief> top = new ArrayList<>(5);
        for (Row r : open) {
            boolean late = "reply".equals(r.type()) && !r.openedAt().isAfter(overdueBefore);
            switch (r.type()) {
                case "reply" -> replies++;
                case "giveBack" -> giveBack = true;
                default -> keepInTouch = true;
            }
            overdue |= late;
            if (top.size() < 5) {
                top.add(new PersonSummary.Brief(r.id(), r.type(), Ledger.reason(r.type(), r.kind(), r.cadenceDays()), r.url(),
                        r.openedAt(), late));
            }
        }
        String color = open.isEmpty() ? "none" : overdue ? "red" : replies > 0 ? "amber" : "blue";
        double now_balance = Math.round(Ledger.decayed(balance, balanceAt, s, now) * 1000.0) / 1000.0;
        return new PersonSummary(id, displayName, now_balance, lastInteractionAt,
                new PersonSummary.Owed(replies, giveBack, keepInTouch), List.copyOf(top),
                new PersonSummary.Badge(open.isEmpty() ? "" : Integer.toString(open.size()), color));
    }
}
