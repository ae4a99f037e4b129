package reciprocity.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written number forms must print exactly what Jackson (Double.toString) prints for the same value. */
class JsonWriterTest {
    private static String thousandths(long k) {
        return new String(new JsonWriter(16).thousandths(k).toBytes(), StandardCharsets.US_ASCII);
    }

    /** {@code k} thousandths print as the double {@code k / 1000.0} does (the message is built only on a mismatch). */
    private static void assertThousandths(long k) {
        String expected = Double.toString(k / 1000.0);
        String actual = thousandths(k);
        if (!expected.equals(actual)) assertEquals(expected, actual, "thousandths " + k);
    }

    @Test
    void thousandths_print_as_the_double_they_stand_for_around_zero() {
        for (long k = -2_000_000; k <= 2_000_000; k++) assertThousandths(k);
    }

    @Test
    void thousandths_print_as_the_double_they_stand_for_at_every_size() {
        SplittableRandom random = new SplittableRandom(11);
        long[] edges = {9_999_999_999L, 10_000_000_000L, 10_000_000_001L, 123_456_789_012L, Long.MAX_VALUE / 2, 1_000_000_000L,
                999_999_999L, 1_000L, 100L, 10L, 1L, 0L};
        for (long k : edges) {
            assertThousandths(k);
            assertThousandths(-k);
        }
        for (int i = 0; i < 2_000_000; i++) {
            // Sizes spread over every power of ten up to 10^13 thousandths, both signs.
            assertThousandths((long) Math.pow(10, random.nextDouble() * 13) * (random.nextBoolean() ? 1 : -1));
        }
    }

    @Test
    void whole_numbers_print_as_long_to_string_does() {
        SplittableRandom random = new SplittableRandom(3);
        java.util.List<Long> values = new java.util.ArrayList<>(java.util.List.of(0L, 1L, -1L, 9L, 10L, 99L, 100L, 999_999_999L,
                1_000_000_000L, 1_000_000_001L, (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
                Long.MIN_VALUE + 1));
        for (long p = 1; p > 0 && p <= Long.MAX_VALUE / 10; p *= 10) {
            values.addAll(java.util.List.of(p - 1, p, p + 1, -(p - 1), -p, -(p + 1)));
        }
        for (int i = 0; i < 1_000_000; i++) values.add((long) Math.pow(10, random.nextDouble() * 18.9) * (random.nextBoolean() ? 1 : -1));
        for (long v : values) {
            String actual = new String(new JsonWriter(8).number(v).toBytes(), StandardCharsets.US_ASCII);
            if (!Long.toString(v).equals(actual)) assertEquals(Long.toString(v), actual, "number " + v);
        }
    }
}
