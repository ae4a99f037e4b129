package reciprocity.platforms;

import java.util.Locale;

/** Whether a link points at a person or at one thing a person wrote, which decides what a reply is owed to. */
public enum LinkKind {
    PROFILE, POST;

    private final String id = name().toLowerCase(Locale.ROOT);

    /** "profile" or "post", the stable name used in storage and the API. */
    public String id() {
        return id;
    }
}
