package reciprocity.auth;

import java.time.Instant;

/** An account row as stored. */
public record User(long id, String email, String passwordHash, String displayName, String timezone,
                   String settings, int tokenVersion, Instant createdAt, Instant updatedAt) {}
