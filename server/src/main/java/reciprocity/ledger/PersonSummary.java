package reciprocity.ledger;

import java.time.Instant;
import java.util.List;

/** What the user owes one person right now: the answer behind every badge. */
public record PersonSummary(long contactId, String displayName, double balance, Instant lastInteractionAt, Owed owed,
                            List<Brief> obligations, Badge badge) {

    /** Counts by type. */
    public record Owed(int reply, boolean giveBack, boolean keepInTouch) {}

    /** One of the most urgent open obligations. */
    public record Brief(long id, String type, String reason, String url, Instant openedAt, boolean overdue) {}

    /** Text is the number of open obligations ("" for none); colour red (overdue), amber (reply due), blue (other), none. */
    public record Badge(String text, String color) {}
}
