package reciprocity.lookup;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reciprocity.account.AccountService;
import reciprocity.db.ChangeFeed;
import reciprocity.support.TestServer;
import reciprocity.web.Json;
import reciprocity.web.JsonWriter;

/**
 * Summaries the read model keeps once written must read exactly as freshly written ones at every instant: never past
 * the next time boundary (a reply window ending, a give-back window closing, a snooze ending, the decayed balance
 * moving), and never after a write changed the user's data.
 */
class LookupSummaryCacheTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Map<String, Object> interaction(Map<String, Object> person, String direction, String kind, Instant at) {
        Map<String, Object> body = new HashMap<>();
        body.put("person", person);
        body.put("direction", direction);
        body.put("kind", kind);
        body.put("occurredAt", at.toString());
        return body;
    }

    static Response post(String token, Map<String, Object> body) {
        return server.as(token).header("Idempotency-Key", UUID.randomUUID().toString()).body(body).post("/v1/interactions");
    }

    static Response lookup(String token, String url) {
        return server.as(token).queryParam("url", url).get("/v1/lookup");
    }

    static Response batch(String token, String url) {
        return server.as(token).body(Map.of("urls", List.of(url, url))).post("/v1/lookup");
    }

    /** Zero weights for the kinds used, so that no balance change ends a kept summary before the boundary under test. */
    static void weightless(String token, String... kinds) {
        Map<String, Object> weights = new HashMap<>();
        for (String kind : kinds) weights.put(kind, 0.0);
        server.as(token).body(Map.of("settings", Map.of("weights", weights))).patch("/v1/me").then().statusCode(200);
    }

    @Test
    void a_kept_summary_turns_overdue_at_the_exact_end_of_the_reply_window() {
        TestServer.Session s = server.registerLongLived();
        weightless(s.accessToken(), "comment");
        Instant opened = server.clock.instant();
        post(s.accessToken(), interaction(Map.of("url", "https://x.com/window"), "inbound", "comment", opened)).then().statusCode(201);
        lookup(s.accessToken(), "https://x.com/window").then().body("person.badge.color", equalTo("amber"))
                .body("person.balance", equalTo(0.0f));
        server.clock.advance(Duration.ofHours(48).minusNanos(1000));
        lookup(s.accessToken(), "https://x.com/window").then().body("person.badge.color", equalTo("amber"))
                .body("person.obligations[0].overdue", equalTo(false));
        batch(s.accessToken(), "https://x.com/window").then().body("results[1].person.badge.color", equalTo("amber"));
        server.clock.advance(Duration.ofNanos(1000));
        lookup(s.accessToken(), "https://x.com/window").then().body("person.badge.color", equalTo("red"))
                .body("person.obligations[0].overdue", equalTo(true));
        batch(s.accessToken(), "https://x.com/window").then().body("results[0].person.badge.color", equalTo("red"))
                .body("results[1].person.badge.color", equalTo("red"));
    }

    @Test
    void a_kept_give_back_ends_at_the_instant_its_window_closes() {
        TestServer.Session s = server.registerLongLived();
        Instant now = server.clock.instant();
        post(s.accessToken(), interaction(Map.of("url", "https://x.com/giver"), "inbound", "like", now));
        long contactId = ((Number) post(s.accessToken(), interaction(Map.of("url", "https://x.com/giver"), "inbound", "recommendation", now))
                .then().body("person.owed.giveBack", equalTo(true)).extract().path("contactId")).longValue();
        Instant closes = server.database.jdbi().withHandle(h -> h.createQuery(
                        "select closes_at from obligations where contact_id = :c and type = 'giveBack' and state = 'open'")
                .bind("c", contactId).mapTo(OffsetDateTime.class).one()).toInstant();
        // Kept just before the window closes; the balance reads the same across that instant, so only the window ends it.
        server.clock.advance(Duration.between(now, closes).minusNanos(1000));
        lookup(s.accessToken(), "https://x.com/giver").then().body("person.owed.giveBack", equalTo(true));
        lookup(s.accessToken(), "https://x.com/giver").then().body("person.owed.giveBack", equalTo(true));
        server.clock.advance(Duration.ofNanos(1000));
        lookup(s.accessToken(), "https://x.com/giver").then().body("person.owed.giveBack", equalTo(false))
                .body("person.badge.color", equalTo("none"));
    }

    @Test
    void a_write_drops_the_kept_summaries_at_once() {
        TestServer.Session s = server.registerLongLived();
        weightless(s.accessToken(), "comment");
        post(s.accessToken(), interaction(Map.of("url", "https://x.com/writer"), "inbound", "comment", server.clock.instant()));
        lookup(s.accessToken(), "https://x.com/writer").then().body("person.owed.reply", equalTo(1));
        batch(s.accessToken(), "https://x.com/writer").then().body("results[0].person.owed.reply", equalTo(1));
        post(s.accessToken(), interaction(Map.of("url", "https://x.com/writer"), "inbound", "comment", server.clock.instant()));
        lookup(s.accessToken(), "https://x.com/writer").then().body("person.owed.reply", equalTo(2));
        batch(s.accessToken(), "https://x.com/writer").then().body("results[1].person.owed.reply", equalTo(2));
        // A settings change rewrites the balance: the kept 0.0 must not survive it.
        server.as(s.accessToken()).body(Map.of("settings", Map.of("weights", Map.of("comment", 2.0)))).patch("/v1/me").then().statusCode(200);
        lookup(s.accessToken(), "https://x.com/writer").then().body("person.balance", equalTo(4.0f));
    }

    /**
     * A ledger that keeps summaries and one that never does, loaded from the same data, write the same bytes for every
     * person at every instant tried: each time boundary of the data and a microsecond either side, and a random walk
     * through some six weeks in small steps and large, now and then going back.
     */
    @Test
    void kept_summaries_read_as_fresh_ones_at_every_instant() {
        TestServer.Session s = server.registerLongLived();
        String token = s.accessToken();
        weightless(token, "comment");
        Random random = new Random(5);
        Instant start = server.clock.instant();
        String[] kinds = {"comment", "reply", "mention", "message", "like", "share", "recommendation", "follow"};
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Map<String, Object> item = interaction(Map.of("platform", "x", "handle", "walk" + random.nextInt(40)),
                    random.nextInt(4) == 0 ? "outbound" : "inbound", kinds[random.nextInt(kinds.length)],
                    start.minus(Duration.ofMinutes(random.nextInt(10 * 24 * 60))).minusNanos(random.nextInt(1_000_000) * 1000L));
            items.add(item);
        }
        server.as(token).body(Map.of("items", items)).post("/v1/interactions/batch").then().statusCode(200);
        // Keep-in-touch rows that open ahead, and snoozes that end, within the walk.
        server.database.jdbi().useHandle(h -> h.execute("update contacts set cadence_days = 3 where id in"
                + " (select contact_id from handles where handle in ('walk0', 'walk7', 'walk14', 'walk21', 'walk28', 'walk35'))"));
        List<Map<String, Object>> touches = new ArrayList<>();
        for (int i = 0; i < 40; i += 7) touches.add(interaction(Map.of("platform", "x", "handle", "walk" + i), "outbound", "like", start));
        server.as(token).body(Map.of("items", touches)).post("/v1/interactions/batch").then().statusCode(200);
        List<Integer> open = server.as(token).get("/v1/obligations?limit=100").path("items.id");
        server.database.jdbi().useHandle(h -> {
            for (int i = 0; i < open.size(); i += 3) {
                h.execute("update obligations set state = 'snoozed', snoozed_until = ? where id = ?",
                        OffsetDateTime.ofInstant(start.plus(Duration.ofMinutes(1 + random.nextInt(20 * 24 * 60))), java.time.ZoneOffset.UTC),
                        open.get(i).longValue());
            }
        });

        long userId = ((Number) server.as(token).get("/v1/me").path("id")).longValue();
        ByteBudget budget = new ByteBudget(1 << 20);
        PackedLedger kept = load(userId, budget, start);
        PackedLedger fresh = load(userId, new ByteBudget(0), start);
        assertTrue(kept.contactCount() >= 30, kept.contactCount() + " people");
        // The instants at which an obligation opens, becomes overdue, closes or wakes, a microsecond either side of
        // each, and a random walk of small steps and large between them.
        List<Instant> times = new ArrayList<>();
        server.database.jdbi().useHandle(h -> h.createQuery("select opened_at, opened_at + interval '48 hours', closes_at,"
                        + " snoozed_until from obligations where user_id = :u").bind("u", userId)
                .map((rs, ctx) -> {
                    for (int i = 1; i <= 4; i++) {
                        OffsetDateTime at = rs.getObject(i, OffsetDateTime.class);
                        for (long d = -1; at != null && d <= 1; d++) times.add(at.toInstant().plusNanos(d * 1000));
                    }
                    return 0;
                }).list());
        long[] steps = {1, 999, 1_000, 1_000_000, 60_000_000L, 3_600_000_000L, 6 * 3_600_000_000L};
        Instant t = start;
        for (int step = 0; step < 2_000; step++) {
            t = t.plusNanos((long) (random.nextDouble() * steps[random.nextInt(steps.length)]) * 1000);
            times.add(t);
        }
        java.util.Collections.sort(times);
        for (Instant at : times) {
            if (random.nextInt(20) == 0) sameAt(kept, fresh, at.minus(Duration.ofMinutes(random.nextInt(600))));
            sameAt(kept, fresh, at);
        }
        assertTrue(budget.left() < 1 << 20, "summaries were kept");
        kept.drop();
        assertEquals(1 << 20, budget.left(), "a dropped ledger gives its bytes back");
    }

    /**
     * Each person's summary reads the same from both ledgers at {@code at}, and still the same a microsecond before the
     * instant until which a summary written then would be kept.
     */
    private static void sameAt(PackedLedger kept, PackedLedger fresh, Instant at) {
        for (int c = 0; c < kept.contactCount(); c++) {
            byte[] expected = summary(fresh, c, at);
            assertArrayEquals(expected, summary(kept, c, at), () -> "at " + at + ": " + new String(expected, StandardCharsets.UTF_8));
            Instant last = Instant.EPOCH.plus(fresh.nextChange(c, PackedLedger.micros(at)) - 1, ChronoUnit.MICROS);
            assertArrayEquals(expected, summary(fresh, c, last), () -> "kept from " + at + " until after " + last + ": "
                    + new String(expected, StandardCharsets.UTF_8));
        }
    }

    private static byte[] summary(PackedLedger ledger, int c, Instant at) {
        JsonWriter out = new JsonWriter(1024);
        ledger.writeSummary(out, c, at);
        return out.toBytes();
    }

    private static PackedLedger load(long userId, ByteBudget budget, Instant now) {
        AccountService accounts = new AccountService(server.database.jdbi(), Json.mapper(), server.clock, null);
        return server.database.jdbi().inTransaction(h -> PackedLedger.load(h, userId, new ChangeFeed.Stamp(0, 0),
                accounts.settings(h, userId), now, budget));
    }
}
