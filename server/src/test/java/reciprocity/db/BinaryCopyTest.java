package reciprocity.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reciprocity.support.TestDatabases;

/** Rows written in PostgreSQL's binary COPY format come back exactly as sent, whatever the text holds. */
class BinaryCopyTest {

    @Test
    void text_bigints_nulls_and_timestamps_round_trip_exactly() {
        Database db = TestDatabases.fresh();
        List<String> texts = List.of("plain", "tab\there", "line\nbreak\r\n", "back\\slash \\N", "ünïcödé 👋 日本", "", "\"quoted\",comma");
        List<Instant> times = List.of(Instant.parse("1990-01-01T00:00:00Z"), Instant.parse("1999-12-31T23:59:59.999999Z"),
                Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2026-11-26T02:30:00.123456Z"), Instant.parse("1969-07-20T20:17:40.000001Z"));
        db.jdbi().useTransaction(h -> {
            h.execute("create table copied (n bigint, b bigint, t text, at timestamptz)");
            BinaryCopy rows = new BinaryCopy();
            for (int i = 0; i < texts.size(); i++) {
                rows.row(4).bigint(i).bigint(Long.MIN_VALUE + i).text(texts.get(i)).timestamptz(times.get(i % times.size()));
            }
            rows.row(4).bigint(99).bigint((Long) null).text(null).timestamptz(null);
            assertEquals((long) texts.size() + 1, rows.copy(h, "copy copied (n, b, t, at) from stdin (format binary)"));
            List<Map<String, Object>> back = h.createQuery("select n, b, t, at from copied order by n").mapToMap().list();
            for (int i = 0; i < texts.size(); i++) {
                assertEquals(Long.MIN_VALUE + i, back.get(i).get("b"));
                assertEquals(texts.get(i), back.get(i).get("t"));
                assertEquals(times.get(i % times.size()), ((java.sql.Timestamp) back.get(i).get("at")).toInstant());
            }
            Map<String, Object> last = back.get(texts.size());
            assertNull(last.get("b"));
            assertNull(last.get("t"));
            assertNull(last.get("at"));
        });
    }

    @Test
    void a_row_the_table_refuses_fails_the_copy_and_writes_nothing() {
        Database db = TestDatabases.fresh();
        db.jdbi().useHandle(h -> h.execute("create table strict (n bigint primary key, t text not null)"));
        assertThrows(RuntimeException.class, () -> db.jdbi().useTransaction(h -> {
            BinaryCopy rows = new BinaryCopy();
            rows.row(2).bigint(1).text("fine");
            rows.row(2).bigint(2).text(null);
            rows.copy(h, "copy strict (n, t) from stdin (format binary)");
        }));
        int count = db.jdbi().withHandle(h -> h.createQuery("select count(*) from strict").mapTo(Integer.class).one());
        assertEquals(0, count);
        // The connection is usable afterwards: the failed COPY ended cleanly.
        db.jdbi().useTransaction(h -> {
            BinaryCopy rows = new BinaryCopy();
            rows.row(2).bigint(3).text("after");
            assertEquals(1L, rows.copy(h, "copy strict (n, t) from stdin (format binary)"));
        });
    }
}
