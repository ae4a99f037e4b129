package reciprocity.identities;

import java.time.Instant;

/** One of the user's own handles: the side of an interaction that is "me", never a person the user owes. */
public record Identity(long id, String platform, String handle, String url, Instant createdAt) {

    /** `POST /v1/me/identities`: `{url}` or `{platform, handle}`. */
    public record Create(String url, String platform, String handle) {}
}
