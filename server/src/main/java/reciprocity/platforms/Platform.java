package reciprocity.platforms;

import java.util.Locale;
import java.util.Optional;

/** The social networks Reciprocity understands; {@link #id()} is the stable name stored in the database and sent over the API. */
public enum Platform {
    X, LINKEDIN, FACEBOOK, INSTAGRAM, MASTODON, REDDIT, GITHUB, BLUESKY, THREADS, YOUTUBE;

    // Computed once: id() is called for every row we serialise.
    private final String id = name().toLowerCase(Locale.ROOT);

    public String id() {
        return id;
    }

    /** The platform with this id; case-insensitive because ids also arrive from query strings typed by people. */
    public static Optional<Platform> fromId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String wanted = id.strip();
        for (Platform p : values()) {
            if (p.id.equalsIgnoreCase(wanted)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
