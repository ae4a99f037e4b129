package reciprocity.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast path of {@link Dates} must read exactly what the formatters read, and leave everything else to them. */
class DatesTest {
    private static final DateTimeFormatter X = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy", Locale.ENGLISH);
    private static final List<ZoneOffset> OFFSETS = List.of(ZoneOffset.UTC, ZoneOffset.ofHoursMinutes(5, 30),
            ZoneOffset.ofHoursMinutes(-9, -45), ZoneOffset.ofHours(14), ZoneOffset.ofHours(-12));

    @Test
    void iso_and_x_dates_read_fast_as_the_formatters_read_them() {
        SplittableRandom random = new SplittableRandom(7);
        int fast = 0, all = 0;
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L), random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            ZoneOffset offset = OFFSETS.get(random.nextInt(OFFSETS.size()));
            // 2025-01-02T03:04:05.678+05:30 (seconds shown only when not zero), Thu Jan 02 03:04:05 +0530 2025, 2025-01-01T21:34:05.678Z
            for (String s : List.of(t.atOffset(offset).toString(), X.format(t.atOffset(offset)), t.toString())) {
                Instant expected = Dates.withFormatters(s);
                Instant f = Dates.fast(s);
                if (f != null) {
                    assertEquals(expected, f, s);
                    fast++;
                }
                assertEquals(expected, Dates.parse(s), s);
                all++;
            }
        }
        assertTrue(fast > all * 0.95, fast + " of " + all + " read fast");
    }

    @Test
    void anything_not_plainly_iso_or_x_is_left_to_the_formatters() {
        for (String s : List.of(
                "2025-02-30T10:00:00Z",            // no such day: the formatters say why
                "2025-13-01T10:00:00Z",
                "2025-01-01T24:00:00Z",
                "2025-01-01T10:00:00+19:00",
                "2025-01-01T10:00:00.Z",
                "2025-01-01T10:00:00.1234567891Z",
                "2025-01-01t10:00:00z",            // case-insensitive ISO: right, but not fast
                "2025-01-01T10:00Z",               // no seconds
                "2025-01-01T10:00:00+0100",
                "+12025-01-01T10:00:00Z",
                "Thu Jan 02 03:04:05 +0000 2025",  // 2 January 2025 was a Thursday: fast
                "Wed Jan 02 03:04:05 +0000 2025",  // the wrong weekday
                "Thu Feb 30 03:04:05 +0000 2025",
                "thu Jan 02 03:04:05 +0000 2025",
                "Thu Jan 02 03:04:05 +0000 20251",
                "2025-01-01 10:00:00 UTC",
                "1 Jan 2025",
                "yesterday")) {
            Instant fast = Dates.fast(s);
            if (s.startsWith("Thu Jan 02 03:04:05 +0000 2025") && s.length() == 30) {
                assertEquals(Instant.parse("2025-01-02T03:04:05Z"), fast);
                continue;
            }
            assertNull(fast, s);
            Instant slow;
            try {
                slow = Dates.withFormatters(s);
            } catch (IllegalArgumentException e) {
                assertEquals(e.getMessage(), assertThrows(IllegalArgumentException.class, () -> Dates.parse(s)).getMessage());
                continue;
            }
            assertEquals(slow, Dates.parse(s), s);
        }
    }
}
