package reciprocity.contacts;

import java.time.Instant;
import java.util.List;
import reciprocity.ledger.PersonSummary;

/** A contact as the API shows it: who they are, their handles, and what the user owes them now. */
public record Contact(long id, String displayName, List<HandleView> handles, Integer cadenceDays, String notes,
                      List<String> tags, Instant createdAt, Instant updatedAt, PersonSummary person) {

    /** One of the contact's handles, with the profile URL it stands for. */
    public record HandleView(long id, String platform, String handle, String url) {}

    /** `{url}` or `{platform, handle}`: a handle to add, in either form. */
    public record HandleRef(String url, String platform, String handle) {}

    /** `POST /v1/contacts`. */
    public record Create(String displayName, List<HandleRef> handles, Integer cadenceDays, String notes, List<String> tags) {}

    /** `PATCH /v1/contacts/{id}`: present fields change; notes and cadenceDays may be null to clear them. */
    public record Patch(String displayName, String notes, List<String> tags, Integer cadenceDays) {}

    /** `POST /v1/contacts/{id}/merge`. */
    public record Merge(Long otherContactId) {}
}
