package reciprocity.interactions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reciprocity.support.TestServer;

/**
 * `GET /v1/interactions` pages, read person by person (V13), against the order worked out here from what was written:
 * newest first, id breaking ties, every filter, every page size, and after deletes and a merge have moved the people's
 * last touch.
 */
class InteractionListTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Row(long id, long contactId, String direction, String kind, String platform, Instant at) {}

    @Test
    void every_page_of_every_filter_matches_the_rows_written_newest_first() {
        TestServer.Session s = server.registerLongLived();
        String token = s.accessToken();
        Random random = new Random(42);
        Instant now = server.clock.instant();
        String[] kinds = {"comment", "reply", "like", "message", "mention"};
        // 30 people on two platforms; one of them far more active lately than the rest, and times that repeat, so
        // ties are broken by id and a page can come from a single person.
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int person = i < 30 ? 0 : random.nextInt(30);
            Instant at = i < 30 ? now.minus(Duration.ofMinutes(random.nextInt(20)))
                    : now.minus(Duration.ofMinutes(30 + 10L * random.nextInt(300)));
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("person", Map.of("platform", person % 3 == 0 ? "github" : "x", "handle", "p" + person));
            item.put("direction", random.nextInt(3) == 0 ? "outbound" : "inbound");
            item.put("kind", kinds[random.nextInt(kinds.length)]);
            item.put("occurredAt", at.toString());
            items.add(item);
        }
        // And twelve people touched last at the very same moment, the newest: a first page must still be the rows
        // with the highest ids, wherever the page's edge falls among them.
        for (int i = 0; i < 12; i++) {
            items.add(Map.of("person", Map.of("platform", "x", "handle", "tied" + i), "direction", "inbound", "kind", "like",
                    "occurredAt", now.toString()));
        }
        Map<Long, Row> rows = new HashMap<>();
        for (int from = 0; from < items.size(); from += 100) {
            List<Map<String, Object>> batch = items.subList(from, Math.min(items.size(), from + 100));
            JsonPath r = server.as(token).body(Map.of("items", batch)).post("/v1/interactions/batch")
                    .then().statusCode(200).extract().jsonPath();
            for (int i = 0; i < batch.size(); i++) {
                Map<String, Object> it = r.getMap("results[" + i + "].interaction");
                rows.put(((Number) it.get("id")).longValue(), new Row(((Number) it.get("id")).longValue(),
                        ((Number) it.get("contactId")).longValue(), (String) it.get("direction"), (String) it.get("kind"),
                        (String) it.get("platform"), Instant.parse((String) it.get("occurredAt"))));
            }
        }
        check(token, rows, "as written");

        // Deleting people's newest rows moves their last touch back; a merge moves one person's rows onto another.
        List<Row> newest = rows.values().stream().sorted(Comparator.comparing(Row::at).reversed().thenComparing(Row::id, Comparator.reverseOrder()))
                .limit(40).toList();
        for (Row r : newest) {
            server.as(token).delete("/v1/interactions/" + r.id()).then().statusCode(204);
            rows.remove(r.id());
        }
        long keep = rows.values().stream().filter(r -> r.platform().equals("x")).findFirst().orElseThrow().contactId();
        long other = rows.values().stream().filter(r -> r.contactId() != keep && r.platform().equals("x")).findFirst().orElseThrow().contactId();
        server.as(token).body(Map.of("otherContactId", other)).post("/v1/contacts/" + keep + "/merge").then().statusCode(200);
        rows.replaceAll((id, r) -> r.contactId() == other ? new Row(r.id(), keep, r.direction(), r.kind(), r.platform(), r.at()) : r);
        check(token, rows, "after deletes and a merge");

        // Someone else's rows never show.
        TestServer.Session b = server.registerLongLived();
        assertEquals(List.of(), server.as(b.accessToken()).get("/v1/interactions").then().statusCode(200).extract().jsonPath().getList("items"));
    }

    private static void check(String token, Map<Long, Row> rows, String when) {
        long someone = rows.values().iterator().next().contactId();
        Map<String, Predicate<Row>> filters = new LinkedHashMap<>();
        filters.put("", r -> true);
        filters.put("kind=comment", r -> r.kind().equals("comment"));
        filters.put("direction=outbound", r -> r.direction().equals("outbound"));
        filters.put("platform=github", r -> r.platform().equals("github"));
        filters.put("contactId=" + someone, r -> r.contactId() == someone);
        List<Instant> times = rows.values().stream().map(Row::at).sorted(Comparator.reverseOrder()).toList();
        Instant since = times.get(times.size() * 2 / 3), until = times.get(times.size() / 3), recent = times.get(5);
        filters.put("since=" + since, r -> !r.at().isBefore(since));
        filters.put("since=" + recent, r -> !r.at().isBefore(recent));
        filters.put("until=" + until, r -> r.at().isBefore(until));
        filters.put("since=" + since + "&until=" + until + "&kind=reply", r -> !r.at().isBefore(since) && r.at().isBefore(until) && r.kind().equals("reply"));
        for (var f : filters.entrySet()) {
            List<Long> expected = rows.values().stream().filter(f.getValue())
                    .sorted(Comparator.comparing(Row::at).reversed().thenComparing(Row::id, Comparator.reverseOrder()))
                    .map(Row::id).toList();
            assertTrue(f.getKey().isEmpty() || expected.size() < rows.size(), "a filter that filters nothing tests little: " + f.getKey());
            for (int limit : new int[] {6, 100}) {
                List<Long> seen = new ArrayList<>();
                String cursor = null;
                int pages = 0;
                do {
                    String q = "/v1/interactions?limit=" + limit + (f.getKey().isEmpty() ? "" : "&" + f.getKey())
                            + (cursor == null ? "" : "&cursor=" + cursor);
                    JsonPath page = server.as(token).get(q).then().statusCode(200).extract().jsonPath();
                    List<Number> ids = page.getList("items.id");
                    ids.forEach(id -> seen.add(id.longValue()));
                    cursor = page.getString("nextCursor");
                    assertTrue(++pages <= expected.size() / limit + 1, "more pages than rows: " + q);
                } while (cursor != null);
                assertEquals(expected, seen, when + ", " + (f.getKey().isEmpty() ? "no filter" : f.getKey()) + ", limit " + limit);
            }
        }
    }
}
