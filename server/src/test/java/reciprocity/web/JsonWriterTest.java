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

    @Test
    void thousandths_print_as_the_double_they_stand_for_around_zero() {
        for (long k = -2_000_000; k <= 2_000_000; k++) {
            String expected = Double.toString(k / 1000.0);
            String actual = thousandths(k);
            if (!expected.equals(actual)) assertEquals(expected, actual, "thousandths " + k);
        }
    }

    @Test
    void thousandths_print_as_the_double_they_stand_for_at_every_size() {
        SplittableRandom random = new SplittableRandom(11);
        long[] edges = {9_999_999_999L, 10_000_000_000L, 10_000_000_001L, 123_456_789_012L, Long.MAX_VALUE / 2, 1_000_000_000L,
                999_999_999L, 1_000L, 100L, 10L, 1L, 0L};
        for (long k : edges) {
            assertEquals(Double.toString(k / 1000.0), thousandths(k), "thousandths " + k);
            assertEquals(Double.toString(-k / 1000.0), thousandths(-k), "thousandths " + -k);
        }
        for (int i = 0; i < 2_000_000; i++) {
            // Sizes spread over every power of ten up to 10^13 thousandths, both signs.
            long k = (long) Math.pow(10, random.nextDouble() * 13) * (random.nextBoolean() ? 1 : -1);
            String expected = Double.toString(k / 1000.0);
            String actual = thousandths(k);
            if (!expected.equals(actual)) assertEquals(expected, actual, "thousandths " + k);
        }
    }
}
