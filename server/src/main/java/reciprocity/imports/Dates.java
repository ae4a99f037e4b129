package reciprocity.imports;

import static reciprocity.web.IsoInstants.digits;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import reciprocity.web.IsoInstants;

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
        Instant fast = fast(s);
        return fast != null ? fast : withFormatters(s);
    }

    /** The formats in turn, the first that reads the whole text winning. */
    static Instant withFormatters(String s) {
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

    private static final String[] MONTHS = new String[12];
    private static final String[] DAYS = new String[7];

    static {
        for (Month m : Month.values()) MONTHS[m.ordinal()] = m.getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
        for (DayOfWeek d : DayOfWeek.values()) DAYS[d.ordinal()] = d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
    }

    /**
     * The two shapes nearly every entry has, read without the formatters' machinery (and the exception each format
     * that does not fit throws): ISO-8601 with seconds and an offset, `2025-01-02T03:04:05.678Z`, and X's
     * `Wed Jan 02 03:04:05 +0000 2025`. Null when the text is not plainly one of them; the formatters then decide, so
     * whatever this returns is what they would.
     */
    static Instant fast(String s) {
        Instant iso = IsoInstants.parse(s);
        if (iso != null) return iso;
        try {
            int n = s.length();
            if (n == 30 && s.charAt(3) == ' ' && s.charAt(7) == ' ' && s.charAt(10) == ' ' && s.charAt(13) == ':' && s.charAt(16) == ':'
                    && s.charAt(19) == ' ' && (s.charAt(20) == '+' || s.charAt(20) == '-') && s.charAt(25) == ' ') {
                int month = indexOf(MONTHS, s, 4) + 1;
                int year = digits(s, 26, 4), day = digits(s, 8, 2), hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
                int oh = digits(s, 21, 2), om = digits(s, 23, 2);
                if (month < 1 || year < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || oh < 0 || om < 0 || om > 59) return null;
                LocalDateTime t = LocalDateTime.of(year, month, day, hour, minute, second);
                if (indexOf(DAYS, s, 0) != t.getDayOfWeek().ordinal()) return null;
                return t.toInstant(s.charAt(20) == '+' ? ZoneOffset.ofHoursMinutes(oh, om) : ZoneOffset.ofHoursMinutes(-oh, -om));
            }
        } catch (DateTimeException e) {
            return null;
        }
        return null;
    }

    /** Which of the three-letter names stands at {@code at}, or -1. */
    private static int indexOf(String[] names, String s, int at) {
        for (int i = 0; i < names.length; i++) if (s.startsWith(names[i], at) && names[i].length() == 3) return i;
        return -1;
    }
}
