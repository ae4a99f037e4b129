package reciprocity.tokens;

import java.time.Instant;
import java.util.List;

/** A personal access token as listed: never the token itself. */
public record Pat(long id, String name, String prefix, List<String> scopes, Instant createdAt, Instant lastUsedAt, Instant expiresAt) {}
