package reciprocity.platforms;

import java.util.Objects;

/**
 * Who a social URL is about: the same person always yields the same platform and handle however the link was written,
 * so it can be used as a lookup key; canonicalUrl is the one form worth storing and showing.
 */
public record ParsedLink(Platform platform, String handle, LinkKind kind, String canonicalUrl) {
    public ParsedLink {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(canonicalUrl, "canonicalUrl");
    }
}
