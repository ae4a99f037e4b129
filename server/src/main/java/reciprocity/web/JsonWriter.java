package reciprocity.web;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * JSON written straight into one growing byte array, for the answers served on every page view: no object tree, no
 * reflection, nothing to collect afterwards but the array itself. Escapes as Jackson does (quote, backslash and control
 * characters; everything else as UTF-8) and prints instants as {@link Instant#toString()} does.
 */
public final class JsonWriter {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = ascii("null"), TRUE = ascii("true"), FALSE = ascii("false");

    private byte[] buf;
    private int len;

    public JsonWriter(int capacity) {
        this.buf = new byte[Math.max(64, capacity)];
    }

    /** ASCII bytes of a constant fragment, to be written with {@link #raw(byte[])}. */
    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Sends what was written as the response body with Content-Type application/json, in one write to the response
     * stream (compressed as Javalin decides from that write's size). Not through ctx.result(): Javalin copies a result
     * through a fresh 32 KB buffer per response, which was most of what the server allocated under lookup load.
     */
    public void sendTo(Context ctx) {
        ctx.contentType("application/json");
        // Javalin compresses only for a client that sent Accept-Encoding; for any other the length is known now, and
        // with it Jetty sends a large body with the headers in one write instead of as a chunk and a closing chunk.
        if (ctx.header("Accept-Encoding") == null) ctx.res().setContentLength(len);
        try {
            ctx.outputStream().write(buf, 0, len);
        } catch (java.io.IOException e) {
            // The client went away (a closed tab): there is no one left to answer, and it is no server failure.
        }
    }

    public byte[] toBytes() {
        return java.util.Arrays.copyOf(buf, len);
    }

    /** How many bytes were written so far: a mark for {@link #bytesFrom}. */
    public int length() {
        return len;
    }

    /** A copy of what was written since {@code mark}, after {@code room} zero bytes. */
    public byte[] bytesFrom(int mark, int room) {
        byte[] copy = new byte[room + len - mark];
        System.arraycopy(buf, mark, copy, room, len - mark);
        return copy;
    }

    public JsonWriter raw(byte[] fragment) {
        ensure(fragment.length);
        System.arraycopy(fragment, 0, buf, len, fragment.length);
        len += fragment.length;
        return this;
    }

    public JsonWriter raw(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, len, length);
        len += length;
        return this;
    }

    public JsonWriter raw(char ascii) {
        ensure(1);
        buf[len++] = (byte) ascii;
        return this;
    }

    public JsonWriter nul() {
        return raw(NULL);
    }

    public JsonWriter bool(boolean b) {
        return raw(b ? TRUE : FALSE);
    }

    public JsonWriter number(long v) {
        if (v == Long.MIN_VALUE) return asciiText(Long.toString(v));
        ensure(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        if (v < 1_000_000_000L) {
            // Ids, counts and seconds: int arithmetic, which the JIT turns into multiplications (a long division by ten
            // is a real division, tens of cycles each, two per digit).
            int i = (int) v;
            int width = i < 10 ? 1 : i < 100 ? 2 : i < 1_000 ? 3 : i < 10_000 ? 4 : i < 100_000 ? 5 : i < 1_000_000 ? 6
                    : i < 10_000_000 ? 7 : i < 100_000_000 ? 8 : 9;
            digits(i, width);
            return this;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) digits++;
        int end = len + digits;
        for (int i = end - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        len = end;
        return this;
    }

    /** A double as Jackson writes it (Java's shortest round-trip form). */
    public JsonWriter number(double v) {
        return asciiText(Double.toString(v));
    }

    /**
     * The double {@code thousandths / 1000.0} as {@link #number(double)} writes it, without formatting a double: below
     * 10^7 in size such a value prints in plain notation as the decimal {@code thousandths / 1000} itself (no decimal
     * with three or fewer fraction digits lies closer to it), trailing zeros dropped but for one after the point.
     */
    public JsonWriter thousandths(long thousandths) {
        if (thousandths <= -10_000_000_000L || thousandths >= 10_000_000_000L) return number(thousandths / 1000.0);
        ensure(16);
        if (thousandths < 0) {
            buf[len++] = '-';
            thousandths = -thousandths;
        }
        number(thousandths / 1000);
        buf[len++] = '.';
        int fraction = (int) (thousandths % 1000);
        if (fraction == 0) {
            buf[len++] = '0';
        } else if (fraction % 100 == 0) {
            digits(fraction / 100, 1);
        } else if (fraction % 10 == 0) {
            digits(fraction / 10, 2);
        } else {
            digits(fraction, 3);
        }
        return this;
    }

    /** A JSON string, or null. */
    public JsonWriter string(String s) {
        return s == null ? nul() : string(s, 0, s.length());
    }

    /** The characters {@code [from, to)} of {@code s} as a JSON string. */
    @SuppressWarnings("deprecation")
    public JsonWriter string(String s, int from, int to) {
        ensure(2 + (to - from) * 3);
        buf[len++] = '"';
        // Most text is plain ASCII: copy it in one go (String.getBytes(int, int, byte[], int) keeps the low byte of each
        // char) and fall back to the escaping loop from the first character that needs it.
        s.getBytes(from, to, buf, len);
        int start = from;
        while (start < to) {
            byte b = buf[len];
            if (b < 0x20 || b == '"' || b == '\\' || s.charAt(start) >= 0x80) break;
            len++;
            start++;
        }
        for (int i = start; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    buf[len++] = (byte) c;
                } else {
                    escape(c);
                }
            } else if (c < 0x800) {
                buf[len++] = (byte) (0xc0 | (c >> 6));
                buf[len++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                ensure(4 + (to - i) * 3);
                buf[len++] = (byte) (0xf0 | (cp >> 18));
                buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                buf[len++] = (byte) (0x80 | (cp & 0x3f));
            } else if (Character.isSurrogate(c)) {
                // A lone surrogate cannot be encoded; PostgreSQL cannot hold one either, so this is only defensive.
                escape(c);
            } else {
                buf[len++] = (byte) (0xe0 | (c >> 12));
                buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                buf[len++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        ensure(1);
        buf[len++] = '"';
        return this;
    }

    private void escape(char c) {
        ensure(6);
        buf[len++] = '\\';
        switch (c) {
            case '"' -> buf[len++] = '"';
            case '\\' -> buf[len++] = '\\';
            case '\n' -> buf[len++] = 'n';
            case '\r' -> buf[len++] = 'r';
            case '\t' -> buf[len++] = 't';
            case '\b' -> buf[len++] = 'b';
            case '\f' -> buf[len++] = 'f';
            default -> {
                buf[len++] = 'u';
                buf[len++] = HEX[(c >> 12) & 0xf];
                buf[len++] = HEX[(c >> 8) & 0xf];
                buf[len++] = HEX[(c >> 4) & 0xf];
                buf[len++] = HEX[c & 0xf];
            }
        }
    }

    /**
     * An instant given as microseconds since the epoch (PostgreSQL's precision), as a JSON string in the form of
     * {@link Instant#toString()}; {@link Long#MIN_VALUE} is null.
     */
    public JsonWriter instantMicros(long micros) {
        if (micros == Long.MIN_VALUE) return nul();
        long seconds = Math.floorDiv(micros, 1_000_000L);
        int nanos = (int) Math.floorMod(micros, 1_000_000L) * 1000;
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return string(Instant.ofEpochSecond(seconds, nanos).toString());
        }
        ensure(32);
        buf[len++] = '"';
        digits((int) year, 4);
        buf[len++] = '-';
        digits(month, 2);
        buf[len++] = '-';
        digits(day, 2);
        buf[len++] = 'T';
        digits(secondOfDay / 3600, 2);
        buf[len++] = ':';
        digits(secondOfDay / 60 % 60, 2);
        buf[len++] = ':';
        digits(secondOfDay % 60, 2);
        if (nanos > 0) {
            buf[len++] = '.';
            if (nanos % 1_000_000 == 0) {
                digits(nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                digits(nanos / 1000, 6);
            } else {
                digits(nanos, 9);
            }
        }
        buf[len++] = 'Z';
        buf[len++] = '"';
        return this;
    }

    private void digits(int v, int width) {
        for (int i = len + width - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len += width;
    }

    private JsonWriter asciiText(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) buf[len++] = (byte) s.charAt(i);
        return this;
    }

    private void ensure(int more) {
        if (len + more > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
}
