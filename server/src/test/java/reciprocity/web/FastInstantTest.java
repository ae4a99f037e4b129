package reciprocity.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The API's times read through {@link IsoInstants} must come out as the JavaTimeModule reads them, errors included. */
class FastInstantTest {
    record Holder(Instant at) {}

    private static final ObjectMapper OURS = Json.mapper();
    private static final ObjectMapper PLAIN = Json.mapper(false);
    private static final List<ZoneOffset> OFFSETS = List.of(ZoneOffset.UTC, ZoneOffset.ofHoursMinutes(5, 30),
            ZoneOffset.ofHoursMinutes(-9, -45), ZoneOffset.ofHours(14), ZoneOffset.ofHours(-12));

    @Test
    void iso_times_read_as_the_java_time_module_reads_them() {
        SplittableRandom random = new SplittableRandom(11);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L), random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            texts.add(t.toString());
            texts.add(t.atOffset(OFFSETS.get(random.nextInt(OFFSETS.size()))).toString());
        }
        int fast = 0;
        for (String s : texts) {
            // OffsetDateTime.toString leaves out zero seconds, which neither reads: those must fail alike.
            assertEquals(outcome(PLAIN, s), outcome(OURS, s), s);
            if (IsoInstants.parse(s) != null) fast++;
        }
        assertTrue(fast > texts.size() * 0.9, fast + " of " + texts.size() + " read fast");
    }

    @Test
    void anything_else_gets_the_java_time_module_s_answer() {
        for (String s : List.of("2025-02-30T10:00:00Z", "2025-13-01T10:00:00Z", "2025-01-01T24:00:00Z", "2025-01-01T23:59:60Z",
                "2025-01-01T10:00:00+19:00", "2025-01-01T10:00:00.Z", "2025-01-01T10:00:00.1234567891Z", "2025-01-01t10:00:00z",
                "2025-01-01T10:00Z", "2025-01-01T10:00:00+0100", "2025-01-01T10:00:00+01", "+12025-01-01T10:00:00Z",
                " 2025-01-01T10:00:00Z", "2025-01-01T10:00:00Z ", "2025-01-01", "１９９９-01-01T10:00:00Z", "yesterday", "")) {
            String expected = outcome(PLAIN, s);
            assertEquals(expected, outcome(OURS, s), s);
        }
    }

    private static String body(String s) {
        return "{\"at\":\"" + s + "\"}";
    }

    /** The instant read, or the kind of error and the value it names. */
    private static String outcome(ObjectMapper mapper, String s) {
        try {
            return String.valueOf(mapper.readValue(body(s), Holder.class).at());
        } catch (Exception e) {
            String m = e.getMessage();
            return e.getClass().getSimpleName() + ": " + m.substring(0, m.indexOf('\n') < 0 ? m.length() : m.indexOf('\n'));
        }
    }
}
