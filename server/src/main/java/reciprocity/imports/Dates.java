package reciprocity.imports;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;

/** The date formats platform exports write; times without a zone are taken as UTC. */
final class Dates {
    private static final DateTimeFormatter X = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy", Locale.ENGLISH);
    private static final List<DateTimeFormatter> LOCAL_TIMES = List.of(
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS][ 'UTC']", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]", Locale.ENGLISH),
            // LinkedIn: "9/20/26, 10:15 AM" and "06/30/25, 12:37 PM"
            new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern("M/d/")
                    .appendValueReduced(ChronoField.YEAR, 2, 2, 2000).appendPattern(", h:mm[:ss] a").toFormatter(Locale.ENGLISH),
            new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern("M/d/yyyy[,] h:mm[:ss] a").toFormatter(Locale.ENGLISH));
    private static final List<DateTimeFormatter> DATES = List.of(
            DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("yyyy/MM/dd", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("M/d/yy", Locale.ENGLISH));

    private Dates() {}

    /** The instant a text names; throws {@link IllegalArgumentException} with a reason a person can read. */
    static Instant parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("the date is missing");
        String s = text.strip();
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException ignored) {
            // next format
        }
        try {
            return ZonedDateTime.parse(s, X).toInstant();
        } catch (DateTimeParseException ignored) {
            // next format
        }
        for (DateTimeFormatter f : LOCAL_TIMES) {
            try {
                return LocalDateTime.parse(s, f).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                // next format
            }
        }
        for (DateTimeFormatter f : DATES) {
            try {
                return LocalDate.parse(s, f).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                // next format
            }
        }
        throw new IllegalArgumentException("unparseable date `" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "`");
    }
}
