package reciprocity.connectors;

import java.time.Instant;

/** A connector as the API shows it: its state and counts, never its credentials. */
public record ConnectorView(long id, String type, String baseUrl, String account, String state, Instant lastSyncAt,
                            Instant lastSuccessAt, Instant nextSyncAt, Counts counts, String lastError, Instant createdAt) {
    /** Interactions all syncs so far created, found already recorded, or could not record. */
    public record Counts(long created, long duplicates, long errors) {}
}
