package reciprocity.web;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Reads the one shape nearly every time sent to us has, ISO-8601 with seconds and an offset
 * ({@code 2025-01-02T03:04:05.678Z}, {@code 2025-01-02T03:04:05+05:30}), without java.time's formatter machinery, which
 * came to about a tenth of the server's CPU on bulk ingest. Null when the text is not plainly that shape; the caller's
 * formatter then decides, so whatever this returns is what the formatter would.
 */
public final class IsoInstants {
    private IsoInstants() {}

    public static Instant parse(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        try {
            int nanos = 0, i = 19;
            if (s.charAt(i) == '.') {
                int start = ++i;
                while (i < n && i - start < 9 && isDigit(s.charAt(i))) nanos = nanos * 10 + (s.charAt(i++) - '0');
                if (i == start) return null;
                for (int k = i - start; k < 9; k++) nanos *= 10;
            }
            ZoneOffset offset;
            if (i == n - 1 && s.charAt(i) == 'Z') {
                offset = ZoneOffset.UTC;
            } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
                int h = digits(s, i + 1, 2), m = digits(s, i + 4, 2);
                if (h < 0 || m < 0 || m > 59) return null;
                offset = s.charAt(i) == '+' ? ZoneOffset.ofHoursMinutes(h, m) : ZoneOffset.ofHoursMinutes(-h, -m);
            } else {
                return null;
            }
            int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
            int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
            if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The number written with exactly {@code count} ASCII digits at {@code from}, or -1. */
    public static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
