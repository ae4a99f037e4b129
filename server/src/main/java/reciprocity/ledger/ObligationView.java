package reciprocity.ledger;

import java.time.Instant;

/** An obligation as the API shows it: what is owed to whom, why, and how urgent. */
public record ObligationView(long id, String type, String state, boolean overdue, long contactId, String contactName,
                             String reason, String url, Instant openedAt, Instant snoozedUntil, Instant resolvedAt) {}
