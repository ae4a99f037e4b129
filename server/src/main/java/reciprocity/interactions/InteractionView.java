package reciprocity.interactions;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import reciprocity.ledger.Ledger;
import reciprocity.ledger.PersonSummary;

/** An interaction as the API shows it, with the person's ledger after it (null in batch results). */
public record InteractionView(long id, long contactId, String direction, String kind, String platform, String url,
                              String threadUrl, Instant occurredAt, String note, String source, String externalId,
                              Instant createdAt, @JsonInclude(JsonInclude.Include.NON_NULL) PersonSummary person) {

    static InteractionView of(Ledger.Interaction i, PersonSummary person) {
        return new InteractionView(i.id(), i.contactId(), i.direction(), i.kind(), i.platform(), i.url(), i.threadUrl(),
                i.occurredAt(), i.note(), i.source(), i.externalId(), i.createdAt(), person);
    }
}
