package reciprocity.imports;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The files `POST /v1/imports?format=` and `reciprocity import --format` understand, and the reader of each. */
public enum ImportFormat {
    X_ARCHIVE("x-archive"),
    MASTODON_ARCHIVE("mastodon-archive"),
    LINKEDIN_EXPORT("linkedin-export"),
    REDDIT_EXPORT("reddit-export"),
    CSV("csv"),
    JSON("json"),
    RECIPROCITY_EXPORT("reciprocity-export");

    private final String id;

    ImportFormat(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<ImportFormat> fromId(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
    }

    public static String ids() {
        return Arrays.stream(values()).map(ImportFormat::id).collect(Collectors.joining(", "));
    }

    FormatReader reader() {
        return switch (this) {
            case X_ARCHIVE -> new XArchiveReader();
            case MASTODON_ARCHIVE -> new MastodonReader();
            case LINKEDIN_EXPORT -> new LinkedInReader();
            case REDDIT_EXPORT -> new RedditReader();
            case CSV -> new CsvReader();
            case JSON -> new JsonReader();
            case RECIPROCITY_EXPORT -> new ExportReader();
        };
    }
}
