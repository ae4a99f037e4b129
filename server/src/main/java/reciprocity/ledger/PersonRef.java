package reciprocity.ledger;

/** Who an interaction is with, in one of three forms: `{url}`, `{platform, handle}` or `{contactId}`. */
public record PersonRef(String url, String platform, String handle, Long contactId) {}
