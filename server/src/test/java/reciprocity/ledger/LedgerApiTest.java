package reciprocity.ledger;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reciprocity.support.TestServer;

/** The ledger end to end through HTTP, every exchange checked against openapi.yaml. */
class LedgerApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Map<String, Object> interaction(Map<String, Object> person, String direction, String kind) {
        Map<String, Object> body = new HashMap<>();
        body.put("person", person);
        body.put("direction", direction);
        body.put("kind", kind);
        body.put("occurredAt", server.clock.instant().toString());
        return body;
    }

    static Response post(String token, Map<String, Object> body) {
        return server.as(token).header("Idempotency-Key", UUID.randomUUID().toString()).body(body).post("/v1/interactions");
    }

    static Response lookup(String token, String url) {
        return server.as(token).queryParam("url", url).get("/v1/lookup");
    }

    @Test
    void an_inbound_comment_is_owed_turns_red_after_the_reply_window_and_an_outbound_reply_settles_it() {
        TestServer.Session s = server.registerLongLived();
        Map<String, Object> comment = interaction(Map.of("url", "https://x.com/alice"), "inbound", "comment");
        comment.put("url", "https://x.com/alice/status/100");
        post(s.accessToken(), comment).then().statusCode(201)
                .body("person.owed.reply", equalTo(1)).body("person.badge.color", equalTo("amber"))
                .body("platform", equalTo("x")).body("person.displayName", equalTo("alice"));

        lookup(s.accessToken(), "https://x.com/Alice").then().statusCode(200)
                .body("platform", equalTo("x")).body("handle", equalTo("alice")).body("kind", equalTo("profile"))
                .body("person.owed.reply", equalTo(1))
                .body("person.badge.text", equalTo("1")).body("person.badge.color", equalTo("amber"))
                .body("person.obligations[0].reason", equalTo("commented on your post"))
                .body("person.obligations[0].url", equalTo("https://x.com/alice/status/100"))
                .body("person.obligations[0].overdue", equalTo(false));

        server.clock.advance(Duration.ofHours(49));
        lookup(s.accessToken(), "https://x.com/Alice").then().body("person.badge.color", equalTo("red"))
                .body("person.obligations[0].overdue", equalTo(true));
        server.as(s.accessToken()).get("/v1/summary").then().statusCode(200)
                .body("open", equalTo(1)).body("overdue", equalTo(1)).body("due", equalTo(0)).body("top", hasSize(1));

        post(s.accessToken(), interaction(Map.of("url", "https://twitter.com/alice/status/1"), "outbound", "reply"))
                .then().statusCode(201).body("person.owed.reply", equalTo(0));
        lookup(s.accessToken(), "https://x.com/alice").then().body("person.owed.reply", equalTo(0))
                .body("person.badge.text", equalTo("")).body("person.badge.color", equalTo("none"));
        server.as(s.accessToken()).get("/v1/obligations?state=resolved").then().body("items", hasSize(1))
                .body("items[0].state", equalTo("resolved")).body("items[0].resolvedAt", notNullValue());
    }

    @Test
    void an_outbound_like_does_not_resolve_a_reply_but_a_message_does() {
        TestServer.Session s = server.registerLongLived();
        post(s.accessToken(), interaction(Map.of("platform", "github", "handle", "Octo"), "inbound", "mention")).then().statusCode(201);
        post(s.accessToken(), interaction(Map.of("platform", "github", "handle", "octo"), "outbound", "like"))
                .then().body("person.owed.reply", equalTo(1));
        post(s.accessToken(), interaction(Map.of("url", "https://github.com/octo"), "outbound", "message"))
                .then().body("person.owed.reply", equalTo(0));
    }

    @Test
    void give_back_opens_when_the_balance_reaches_the_threshold_and_ends_as_it_decays() {
        TestServer.Session s = server.registerLongLived();
        post(s.accessToken(), interaction(Map.of("url", "https://www.linkedin.com/in/grace"), "inbound", "like"))
                .then().body("person.owed.giveBack", equalTo(false)).body("person.balance", equalTo(0.25f));
        post(s.accessToken(), interaction(Map.of("url", "https://www.linkedin.com/in/grace"), "inbound", "recommendation"))
                .then().body("person.owed.giveBack", equalTo(true)).body("person.badge.color", equalTo("blue"))
                .body("person.balance", equalTo(3.25f));
        // 3.25 halves every 30 days: after 4 days it is under the 3.0 threshold again (log2(3.25/3) * 30 = 3.5 days).
        server.clock.advance(Duration.ofDays(4));
        lookup(s.accessToken(), "https://linkedin.com/in/grace/").then().body("person.owed.giveBack", equalTo(false))
                .body("person.badge.text", equalTo(""));
        post(s.accessToken(), interaction(Map.of("url", "https://www.linkedin.com/in/grace"), "inbound", "recommendation"))
                .then().body("person.owed.giveBack", equalTo(true));
        post(s.accessToken(), interaction(Map.of("url", "https://www.linkedin.com/in/grace"), "outbound", "share"))
                .then().body("person.owed.giveBack", equalTo(true));
        post(s.accessToken(), interaction(Map.of("url", "https://www.linkedin.com/in/grace"), "outbound", "recommendation"))
                .then().body("person.owed.giveBack", equalTo(false));
    }

    @Test
    void keep_in_touch_opens_after_the_cadence_and_any_touch_resets_it() {
        TestServer.Session s = server.registerLongLived();
        long contactId = ((Number) post(s.accessToken(), interaction(Map.of("url", "https://bsky.app/profile/carol.bsky.social"), "outbound", "like"))
                .path("contactId")).longValue();
        server.database.jdbi().useHandle(h -> h.execute("update contacts set cadence_days = 7 where id = ?", contactId));
        post(s.accessToken(), interaction(Map.of("contactId", contactId), "outbound", "like")).then().statusCode(201)
                .body("person.owed.keepInTouch", equalTo(false));
        server.clock.advance(Duration.ofDays(8));
        lookup(s.accessToken(), "https://bsky.app/profile/carol.bsky.social").then()
                .body("person.owed.keepInTouch", equalTo(true)).body("person.badge.color", equalTo("blue"))
                .body("person.obligations[0].reason", equalTo("no contact in over 7 days"));
        post(s.accessToken(), interaction(Map.of("contactId", contactId), "inbound", "like"))
                .then().body("person.owed.keepInTouch", equalTo(false));
    }

    @Test
    void retries_with_the_same_idempotency_key_return_the_first_response_and_a_different_body_is_422() {
        TestServer.Session s = server.registerLongLived();
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = interaction(Map.of("url", "https://mastodon.social/@dave"), "inbound", "message");
        Response first = server.as(s.accessToken()).header("Idempotency-Key", key).body(body).post("/v1/interactions");
        first.then().statusCode(201).body("platform", equalTo("mastodon"));
        Response again = server.as(s.accessToken()).header("Idempotency-Key", key).body(body).post("/v1/interactions");
        assertEquals(201, again.statusCode());
        assertEquals(first.asString(), again.asString());
        Map<String, Object> other = new HashMap<>(body);
        other.put("kind", "comment");
        server.as(s.accessToken()).header("Idempotency-Key", key).body(other).post("/v1/interactions").then().statusCode(422)
                .body("field", equalTo("Idempotency-Key"));
        server.as(s.accessToken()).get("/v1/interactions").then().body("items", hasSize(1));
    }

    @Test
    void a_repeated_external_id_returns_the_stored_interaction_with_200() {
        TestServer.Session s = server.registerLongLived();
        Map<String, Object> body = interaction(Map.of("url", "https://www.reddit.com/user/erin"), "inbound", "reply");
        body.put("externalId", "t1_abc");
        int id = post(s.accessToken(), body).then().statusCode(201).extract().path("id");
        int again = post(s.accessToken(), body).then().statusCode(200).extract().path("id");
        assertEquals(id, again);
        server.as(s.accessToken()).get("/v1/summary").then().body("open", equalTo(1));
    }

    @Test
    void a_batch_records_good_items_and_reports_bad_ones_by_index() {
        TestServer.Session s = server.registerLongLived();
        Map<String, Object> good1 = interaction(Map.of("url", "https://x.com/frank"), "inbound", "comment");
        good1.put("externalId", "n1");
        Map<String, Object> bad = interaction(Map.of("url", "https://x.com/frank"), "inbound", "poke");
        Map<String, Object> notAPerson = interaction(Map.of("url", "https://x.com/home"), "inbound", "comment");
        Map<String, Object> good2 = interaction(Map.of("url", "https://x.com/gina"), "inbound", "like");
        server.rawAs(s.accessToken()).body(Map.of("items", List.of(good1, bad, notAPerson, good2, good1)))
                .post("/v1/interactions/batch").then().statusCode(200)
                .body("results", hasSize(5))
                .body("results[0].status", equalTo("created"))
                .body("results[1].status", equalTo("error")).body("results[1].problem.field", equalTo("items[1].kind"))
                .body("results[2].status", equalTo("error")).body("results[2].problem.status", equalTo(422))
                .body("results[3].status", equalTo("created"))
                .body("results[4].status", equalTo("duplicate"))
                .body("results[4].interaction.id", equalTo(server.as(s.accessToken()).get("/v1/interactions?kind=comment").path("items[0].id")));
        server.as(s.accessToken()).get("/v1/interactions").then().body("items", hasSize(2));
        // Re-sending the same batch creates nothing new.
        server.as(s.accessToken()).body(Map.of("items", List.of(good1))).post("/v1/interactions/batch").then()
                .body("results[0].status", equalTo("duplicate"));
    }

    @Test
    void deleting_the_reply_that_settled_an_obligation_reopens_it() {
        TestServer.Session s = server.registerLongLived();
        post(s.accessToken(), interaction(Map.of("url", "https://www.instagram.com/hana"), "inbound", "comment"));
        int reply = post(s.accessToken(), interaction(Map.of("url", "https://www.instagram.com/hana"), "outbound", "comment"))
                .then().body("person.owed.reply", equalTo(0)).extract().path("id");
        server.as(s.accessToken()).delete("/v1/interactions/" + reply).then().statusCode(204);
        lookup(s.accessToken(), "https://instagram.com/hana").then().body("person.owed.reply", equalTo(1));
        server.as(s.accessToken()).get("/v1/interactions/" + reply).then().statusCode(404);
    }

    @Test
    void a_reply_obligation_has_its_interactions_id_goes_with_it_and_cannot_be_doubled() {
        TestServer.Session s = server.registerLongLived();
        int kept = post(s.accessToken(), interaction(Map.of("url", "https://x.com/jonas"), "inbound", "message")).then().statusCode(201)
                .extract().path("id");
        int gone = post(s.accessToken(), interaction(Map.of("url", "https://x.com/jonas"), "inbound", "comment")).then().statusCode(201)
                .extract().path("id");
        // The obligation for each inbound message/comment carries the interaction's id (the key that keeps it to one).
        server.as(s.accessToken()).get("/v1/obligations").then().body("items", hasSize(2))
                .body("items.id", org.hamcrest.Matchers.containsInAnyOrder(kept, gone));
        server.as(s.accessToken()).delete("/v1/interactions/" + gone).then().statusCode(204);
        server.as(s.accessToken()).get("/v1/obligations").then().body("items", hasSize(1)).body("items[0].id", equalTo(kept));
        lookup(s.accessToken(), "https://x.com/jonas").then().body("person.owed.reply", equalTo(1));
        assertEquals(0L, (long) server.database.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from obligations where interaction_id = :i or id = :i").bind("i", gone).mapTo(Long.class).one()));
        // A second reply obligation for the same interaction, or one under another id, is refused by the schema.
        for (String id : List.of("o.id", "o.id + 1")) {
            RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> server.database.jdbi().useHandle(h -> h.execute(
                    "insert into obligations (id, user_id, contact_id, type, interaction_id, state, opened_at, created_at)"
                            + " select " + id + ", o.user_id, o.contact_id, 'reply', o.interaction_id, 'open', o.opened_at, o.created_at"
                            + " from obligations o where o.id = ?", kept)));
            assertTrue(e.getMessage().contains("obligations_pkey") || e.getMessage().contains("obligations_reply_id"), e.getMessage());
        }
    }

    @Test
    void snooze_dismiss_and_reopen_change_what_is_owed() {
        TestServer.Session s = server.registerLongLived();
        post(s.accessToken(), interaction(Map.of("url", "https://www.threads.net/@ivan"), "inbound", "mention"));
        int id = server.as(s.accessToken()).get("/v1/obligations").then().body("items", hasSize(1)).extract().path("items[0].id");
        String until = server.clock.instant().plus(Duration.ofDays(1)).toString();
        server.as(s.accessToken()).body(Map.of("until", until)).post("/v1/obligations/" + id + "/snooze").then().statusCode(200)
                .body("state", equalTo("snoozed")).body("snoozedUntil", notNullValue());
        server.as(s.accessToken()).get("/v1/summary").then().body("open", equalTo(0));
        lookup(s.accessToken(), "https://threads.net/@ivan").then().body("person.owed.reply", equalTo(0));
        server.clock.advance(Duration.ofDays(2));
        server.as(s.accessToken()).get("/v1/summary").then().body("open", equalTo(1));
        server.as(s.accessToken()).post("/v1/obligations/" + id + "/dismiss").then().statusCode(200).body("state", equalTo("dismissed"));
        server.as(s.accessToken()).post("/v1/obligations/" + id + "/dismiss").then().statusCode(409);
        server.as(s.accessToken()).get("/v1/obligations?state=dismissed").then().body("items", hasSize(1));
        server.as(s.accessToken()).post("/v1/obligations/" + id + "/reopen").then().statusCode(200).body("state", equalTo("open"))
                .body("snoozedUntil", nullValue());
        server.rawAs(s.accessToken()).body(Map.of("until", "2001-01-01T00:00:00Z")).post("/v1/obligations/" + id + "/snooze")
                .then().statusCode(400).body("field", equalTo("until"));
    }

    @Test
    void obligations_come_most_urgent_first_across_pages() {
        TestServer.Session s = server.registerLongLived();
        post(s.accessToken(), interaction(Map.of("url", "https://x.com/old1"), "inbound", "comment"));
        server.clock.advance(Duration.ofHours(50));
        post(s.accessToken(), interaction(Map.of("url", "https://x.com/new1"), "inbound", "comment"));
        post(s.accessToken(), interaction(Map.of("url", "https://www.linkedin.com/in/recommender"), "inbound", "recommendation"));
        post(s.accessToken(), interaction(Map.of("url", "https://www.linkedin.com/in/recommender"), "inbound", "like"));
        Response page1 = server.as(s.accessToken()).get("/v1/obligations?limit=2");
        page1.then().body("items", hasSize(2)).body("items[0].contactName", equalTo("old1")).body("items[0].overdue", equalTo(true))
                .body("items[1].contactName", equalTo("new1")).body("nextCursor", notNullValue());
        server.as(s.accessToken()).queryParam("cursor", (String) page1.path("nextCursor")).queryParam("limit", 2).get("/v1/obligations")
                .then().body("items", hasSize(1)).body("items[0].type", equalTo("giveBack")).body("nextCursor", nullValue());
    }

    @Test
    void a_batch_lookup_answers_each_url_in_order_with_a_constant_number_of_queries() {
        TestServer.Session s = server.registerLongLived();
        post(s.accessToken(), interaction(Map.of("url", "https://x.com/jack"), "inbound", "comment"));
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 48; i++) urls.add("https://x.com/someone" + i);
        urls.add("https://x.com/JACK/status/5");
        urls.add("not a url");
        server.as(s.accessToken()).body(Map.of("urls", urls)).post("/v1/lookup").then().statusCode(200)
                .body("results", hasSize(50))
                .body("results[0].handle", equalTo("someone0")).body("results[0].person", nullValue())
                .body("results[48].handle", equalTo("jack")).body("results[48].kind", equalTo("post"))
                .body("results[48].person.owed.reply", equalTo(1))
                .body("results[49].error", notNullValue()).body("results[49].platform", nullValue());
        lookup(s.accessToken(), "https://example.com/whoever").then().statusCode(200).body("platform", nullValue())
                .body("person", nullValue());
        server.raw().header("Authorization", "Bearer " + s.accessToken()).queryParam("url", "javascript:alert(1)").get("/v1/lookup")
                .then().statusCode(400).body("field", equalTo("url"));
    }

    @Test
    void bad_input_is_a_4xx_naming_the_field_and_writes_nothing() {
        TestServer.Session s = server.registerLongLived();
        Map<String, Object> future = interaction(Map.of("url", "https://x.com/kim"), "inbound", "comment");
        future.put("occurredAt", server.clock.instant().plus(Duration.ofDays(2)).toString());
        bad(s, future, 400, "occurredAt");
        Map<String, Object> dateOnly = interaction(Map.of("url", "https://x.com/kim"), "inbound", "comment");
        dateOnly.put("occurredAt", "2025-01-01");
        bad(s, dateOnly, 400, "occurredAt");
        server.rawAs(s.accessToken()).header("Idempotency-Key", UUID.randomUUID().toString()).body(dateOnly).post("/v1/interactions")
                .then().body("detail", equalTo("`occurredAt` must be a time with its zone, such as 2025-01-01T10:00:00Z"
                        + " or 2025-01-01T12:00:00+02:00 (got `2025-01-01`)"));
        bad(s, interaction(Map.of("url", "https://x.com/kim"), "sideways", "comment"), 400, "direction");
        bad(s, interaction(Map.of("url", "https://example.com/kim"), "inbound", "comment"), 422, "person.url");
        bad(s, interaction(Map.of("platform", "x", "handle", "k".repeat(40)), "inbound", "comment"), 400, "person.handle");
        bad(s, interaction(Map.of("platform", "myspace", "handle", "kim"), "inbound", "comment"), 400, "person.platform");
        bad(s, interaction(Map.of("contactId", 999_999_999), "inbound", "comment"), 404, null);
        Map<String, Object> badUrl = interaction(Map.of("url", "https://x.com/kim"), "inbound", "comment");
        badUrl.put("url", "ftp://x.com/kim");
        bad(s, badUrl, 400, "url");
        server.rawAs(s.accessToken()).body(interaction(Map.of("url", "https://x.com/kim"), "inbound", "comment")).post("/v1/interactions")
                .then().statusCode(400).body("field", equalTo("Idempotency-Key"));
        server.rawAs(s.accessToken()).get("/v1/interactions?limit=101").then().statusCode(400).body("field", equalTo("limit"));
        server.rawAs(s.accessToken()).get("/v1/obligations?cursor=forged.cursor").then().statusCode(400).body("field", equalTo("cursor"));
        server.as(s.accessToken()).get("/v1/interactions").then().body("items", hasSize(0));
        assertEquals(0L, (long) server.database.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from contacts c join users u on u.id = c.user_id where u.email = :e").bind("e", s.email()).mapTo(Long.class).one()));
    }

    private void bad(TestServer.Session s, Map<String, Object> body, int status, String field) {
        var then = server.rawAs(s.accessToken()).header("Idempotency-Key", UUID.randomUUID().toString()).body(body)
                .post("/v1/interactions").then().statusCode(status).contentType("application/problem+json");
        if (field != null) then.body("field", equalTo(field));
    }

    @Test
    void another_users_objects_are_404_and_never_listed() {
        TestServer.Session a = server.registerLongLived();
        TestServer.Session b = server.registerLongLived();
        int interactionId = post(a.accessToken(), interaction(Map.of("url", "https://x.com/secret"), "inbound", "comment"))
                .then().statusCode(201).extract().path("id");
        int contactId = server.as(a.accessToken()).get("/v1/interactions/" + interactionId).path("contactId");
        int obligationId = server.as(a.accessToken()).get("/v1/obligations").path("items[0].id");

        server.as(b.accessToken()).get("/v1/interactions/" + interactionId).then().statusCode(404);
        server.as(b.accessToken()).delete("/v1/interactions/" + interactionId).then().statusCode(404);
        server.as(b.accessToken()).post("/v1/obligations/" + obligationId + "/dismiss").then().statusCode(404);
        server.as(b.accessToken()).post("/v1/obligations/" + obligationId + "/reopen").then().statusCode(404);
        server.as(b.accessToken()).body(Map.of("until", server.clock.instant().plusSeconds(3600).toString()))
                .post("/v1/obligations/" + obligationId + "/snooze").then().statusCode(404);
        post(b.accessToken(), interaction(Map.of("contactId", contactId), "inbound", "comment")).then().statusCode(404);
        server.as(b.accessToken()).get("/v1/interactions").then().body("items", hasSize(0));
        server.as(b.accessToken()).get("/v1/interactions?contactId=" + contactId).then().body("items", hasSize(0));
        server.as(b.accessToken()).get("/v1/obligations?contactId=" + contactId).then().body("items", hasSize(0));
        server.as(b.accessToken()).get("/v1/summary").then().body("open", equalTo(0));
        lookup(b.accessToken(), "https://x.com/secret").then().body("person", nullValue());
        String cursorOfA = server.as(a.accessToken()).get("/v1/interactions?limit=1").path("nextCursor");
        if (cursorOfA == null) {
            post(a.accessToken(), interaction(Map.of("url", "https://x.com/secret2"), "inbound", "like"));
            cursorOfA = server.as(a.accessToken()).get("/v1/interactions?limit=1").path("nextCursor");
        }
        server.rawAs(b.accessToken()).queryParam("cursor", cursorOfA).get("/v1/interactions").then().statusCode(400);
        // and A's data is unchanged
        server.as(a.accessToken()).get("/v1/obligations").then().body("items[0].id", equalTo(obligationId))
                .body("items[0].state", equalTo("open"));
    }

    @Test
    void changing_the_weights_recomputes_the_balance() {
        TestServer.Session s = server.registerLongLived();
        post(s.accessToken(), interaction(Map.of("url", "https://www.youtube.com/@lena"), "inbound", "like"))
                .then().body("person.balance", equalTo(0.25f));
        server.as(s.accessToken()).body(Map.of("settings", Map.of("weights", Map.of("like", 4.0)))).patch("/v1/me").then().statusCode(200);
        lookup(s.accessToken(), "https://youtube.com/@Lena").then().body("person.balance", equalTo(4.0f))
                .body("person.owed.giveBack", equalTo(true));
        Response list = server.as(s.accessToken()).get("/v1/obligations?type=giveBack");
        assertNotEquals(0, ((List<?>) list.path("items")).size());
        assertTrue(list.asString().contains("gave you a lot lately"));
    }

    @Test
    void one_batch_and_the_same_interactions_one_by_one_give_the_same_ledger() {
        TestServer.Session single = server.registerLongLived();
        TestServer.Session batched = server.registerLongLived();
        java.util.Random random = new java.util.Random(42);
        String[] kinds = {"comment", "reply", "mention", "message", "like", "share", "recommendation", "follow"};
        List<Map<String, Object>> items = new ArrayList<>();
        java.time.Instant start = server.clock.instant().minus(Duration.ofDays(20));
        for (int i = 0; i < 60; i++) {
            Map<String, Object> item = new HashMap<>();
            item.put("person", Map.of("url", "https://x.com/p" + random.nextInt(6)));
            item.put("direction", random.nextBoolean() ? "inbound" : "outbound");
            item.put("kind", kinds[random.nextInt(kinds.length)]);
            item.put("occurredAt", start.plus(Duration.ofHours(random.nextInt(480))).toString());
            items.add(item);
        }
        for (Map<String, Object> item : items) post(single.accessToken(), item).then().statusCode(201);
        server.as(batched.accessToken()).body(Map.of("items", items)).post("/v1/interactions/batch").then().statusCode(200);
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 6; i++) urls.add("https://x.com/p" + i);
        List<Map<String, Object>> a = server.as(single.accessToken()).body(Map.of("urls", urls)).post("/v1/lookup").path("results.person");
        List<Map<String, Object>> b = server.as(batched.accessToken()).body(Map.of("urls", urls)).post("/v1/lookup").path("results.person");
        for (int i = 0; i < 6; i++) {
            if (a.get(i) == null) {
                assertEquals(null, b.get(i));
                continue;
            }
            assertEquals(((Number) a.get(i).get("balance")).doubleValue(), ((Number) b.get(i).get("balance")).doubleValue(), 0.002, "balance of p" + i);
            assertEquals(a.get(i).get("owed"), b.get(i).get("owed"), "owed of p" + i);
            assertEquals(a.get(i).get("badge"), b.get(i).get("badge"), "badge of p" + i);
            assertEquals(a.get(i).get("lastInteractionAt"), b.get(i).get("lastInteractionAt"));
        }
        assertEquals((Object) server.as(single.accessToken()).get("/v1/summary").path("open"),
                server.as(batched.accessToken()).get("/v1/summary").path("open"));
    }

    @Test
    void a_minimal_batch_answers_ids_and_stores_what_a_recompute_from_scratch_derives() {
        TestServer.Session s = server.registerLongLived();
        java.util.Random random = new java.util.Random(7);
        String[] kinds = {"comment", "reply", "mention", "message", "like", "share", "endorsement", "follow"};
        java.time.Instant start = server.clock.instant().minus(Duration.ofDays(40));
        // Two big batches (written with COPY): the second reaches people the first created, with rows older and newer than
        // theirs. Then small batches (written with INSERTs) reach the same people again.
        for (int round = 0; round < 3; round++) {
            int size = round < 2 ? 400 : 8;
            for (int batch = 0; batch < (round < 2 ? 1 : 6); batch++) {
                List<Map<String, Object>> items = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    Map<String, Object> item = new HashMap<>();
                    item.put("person", Map.of("platform", "x", "handle", "mini" + random.nextInt(round == 0 ? 12 : 20)));
                    item.put("direction", random.nextInt(3) == 0 ? "outbound" : "inbound");
                    item.put("kind", kinds[random.nextInt(kinds.length)]);
                    item.put("occurredAt", start.plus(Duration.ofMinutes(random.nextInt(40 * 24 * 60))).plusNanos(random.nextInt(1_000_000_000)).toString());
                    if (i % 2 == 0) item.put("externalId", "r" + round + "-" + batch + "-" + i);
                    items.add(item);
                }
                Response r = server.rawAs(s.accessToken()).header("Prefer", "return=minimal").body(Map.of("items", items))
                        .post("/v1/interactions/batch");
                r.then().statusCode(200).header("Preference-Applied", "return=minimal").body("results", hasSize(size))
                        .body("results.findAll { it.status == 'created' }", hasSize(size))
                        .body("results[0].interaction", nullValue()).body("results[0].id", notNullValue());
                // What was answered is what was stored, to the microsecond PostgreSQL keeps.
                long id = ((Number) r.path("results[3].id")).longValue();
                java.time.Instant sent = java.time.Instant.parse((String) items.get(3).get("occurredAt"));
                server.as(s.accessToken()).get("/v1/interactions/" + id).then().statusCode(200)
                        .body("occurredAt", equalTo(sent.truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString()));
            }
        }
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 20; i++) urls.add("https://x.com/mini" + i);
        java.util.function.Supplier<List<Object>> snapshot = () -> {
            List<Object> out = new ArrayList<>();
            List<Map<String, Object>> people = server.as(s.accessToken()).body(Map.of("urls", urls)).post("/v1/lookup").path("results.person");
            for (Map<String, Object> p : people) {
                out.add(List.of(Math.round(((Number) p.get("balance")).doubleValue() * 1000), p.get("owed"), p.get("badge"),
                        String.valueOf(p.get("lastInteractionAt"))));
            }
            for (Map<String, Object> p : people) {
                for (String state : List.of("open", "resolved")) {
                    List<Map<String, Object>> items = server.as(s.accessToken())
                            .get("/v1/obligations?limit=100&state=" + state + "&contactId=" + p.get("contactId")).path("items");
                    List<String> rows = new ArrayList<>();
                    for (Map<String, Object> o : items) rows.add(o.get("type") + " " + o.get("openedAt") + " " + o.get("resolvedAt"));
                    java.util.Collections.sort(rows);
                    out.add(rows);
                }
            }
            return out;
        };
        List<Object> written = snapshot.get();
        assertTrue(written.toString().contains("reply"), "the data opens reply obligations");
        // A settings change recomputes every contact from its interactions alone (the weight of a kind the data does not
        // hold, so the figures stay comparable); it must land where the writes did.
        Number weight = server.as(s.accessToken()).get("/v1/me").path("settings.weights.recommendation");
        server.as(s.accessToken()).body(Map.of("settings", Map.of("weights", Map.of("recommendation", weight.doubleValue() + 1))))
                .patch("/v1/me").then().statusCode(200);
        assertEquals(written, snapshot.get());
    }

    @Test
    void a_big_batch_that_meets_stored_rows_reports_them_as_duplicates_and_writes_the_rest_once() {
        // A big batch is first written without probing for stored externalIds; meeting one, it is rolled back and
        // written again with the probe. The outcome must be as if it had probed from the start.
        TestServer.Session s = server.registerLongLived();
        java.time.Instant start = server.clock.instant().minus(Duration.ofDays(2));
        java.util.function.BiFunction<String, Integer, Map<String, Object>> item = (handle, n) -> {
            Map<String, Object> it = new HashMap<>();
            it.put("person", Map.of("platform", "x", "handle", handle));
            it.put("direction", n % 3 == 0 ? "outbound" : "inbound");
            it.put("kind", n % 2 == 0 ? "comment" : "reply");
            it.put("occurredAt", start.plus(Duration.ofMinutes(n)).toString());
            it.put("externalId", "stored" + n);
            return it;
        };
        List<Map<String, Object>> first = new ArrayList<>();
        for (int n = 0; n < 50; n++) first.add(item.apply("known" + n % 5, n));
        List<Object> storedIds = server.rawAs(s.accessToken()).body(Map.of("items", first)).post("/v1/interactions/batch")
                .then().statusCode(200).body("results.findAll { it.status == 'created' }", hasSize(50)).extract().path("results.interaction.id");
        Object before = server.as(s.accessToken()).get("/v1/summary").path("");
        java.util.function.Supplier<Long> rowsOf = () -> server.database.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from interactions i join users u on u.id = i.user_id where u.email = :e").bind("e", s.email()).mapTo(Long.class).one());
        // 40 new rows, 10 of them for four new people, and 20 rows already stored, spread through the batch.
        List<Map<String, Object>> second = new ArrayList<>();
        for (int n = 0; n < 60; n++) {
            if (n % 3 == 1) second.add(item.apply("known" + n % 5, n / 3 * 2));
            else second.add(item.apply(n < 30 ? "new" + n % 4 : "known" + n % 5, 1000 + n));
        }
        Response r = server.rawAs(s.accessToken()).body(Map.of("items", second)).post("/v1/interactions/batch");
        r.then().statusCode(200).body("results.findAll { it.status == 'created' }", hasSize(40))
                .body("results.findAll { it.status == 'duplicate' }", hasSize(20));
        for (int n = 1; n < 60; n += 3) {
            assertEquals(storedIds.get(n / 3 * 2), r.path("results[" + n + "].interaction.id"), "item " + n);
        }
        assertEquals(90L, rowsOf.get());
        server.as(s.accessToken()).get("/v1/contacts?limit=100").then().body("items", hasSize(9));
        assertTrue(!before.equals(server.as(s.accessToken()).get("/v1/summary").path("")), "the new rows moved the ledger");
        // Sent once more, the whole batch is duplicates.
        server.rawAs(s.accessToken()).body(Map.of("items", second)).post("/v1/interactions/batch").then().statusCode(200)
                .body("results.findAll { it.status == 'duplicate' }", hasSize(60));
        assertEquals(90L, rowsOf.get());
    }

    @Test
    void people_a_batch_creates_are_stored_exactly_as_people_created_before_it_and_reached_by_it() {
        // New people get their state as they are inserted; known people get it by an update. Same rows, same clock:
        // the stored ledgers must be identical to the last bit.
        TestServer.Session fresh = server.registerLongLived(), known = server.registerLongLived();
        java.util.Random random = new java.util.Random(11);
        String[] kinds = {"comment", "reply", "mention", "message", "like", "share", "endorsement", "follow"};
        java.time.Instant start = server.clock.instant().minus(Duration.ofDays(3));
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            Map<String, Object> item = new HashMap<>();
            // p0 is owed a lot (a give-back window); p1..p6 get a mix; some externalIds repeat within the call.
            int person = i < 30 ? 0 : 1 + random.nextInt(6);
            item.put("person", Map.of("platform", "x", "handle", "same" + person));
            item.put("direction", person == 0 || random.nextInt(3) > 0 ? "inbound" : "outbound");
            item.put("kind", person == 0 ? "recommendation" : kinds[random.nextInt(kinds.length)]);
            item.put("occurredAt", start.plus(Duration.ofMinutes(random.nextInt(3 * 24 * 60))).plusNanos(random.nextInt(1_000_000_000)).toString());
            item.put("externalId", "e" + random.nextInt(100));
            items.add(item);
        }
        // Only duplicates for p7: it is created with no rows.
        Map<String, Object> dup = new HashMap<>(items.get(40));
        dup.put("person", Map.of("platform", "x", "handle", "same7"));
        items.add(dup);
        for (int person = 0; person < 8; person++) {
            server.as(known.accessToken()).body(Map.of("displayName", "same" + person, "handles", List.of(Map.of("platform", "x", "handle", "same" + person))))
                    .post("/v1/contacts").then().statusCode(201);
        }
        for (TestServer.Session s : List.of(fresh, known)) {
            server.rawAs(s.accessToken()).body(Map.of("items", items)).post("/v1/interactions/batch").then().statusCode(200);
        }
        java.util.function.Function<TestServer.Session, List<Map<String, Object>>> stored = s -> server.database.jdbi().withHandle(h -> h.createQuery("""
                        select c.display_name, c.balance::text, c.balance_at, c.last_interaction_at, c.give_back_until,
                               (select string_agg(concat_ws(' ', o.type, o.state, o.opened_at, o.closes_at, o.resolved_at), ', '
                                                  order by o.type, o.opened_at, o.state, o.resolved_at)
                                from obligations o where o.contact_id = c.id) obligations,
                               (select count(*) from interactions i where i.contact_id = c.id) rows
                        from contacts c join users u on u.id = c.user_id where u.email = :e order by c.display_name""")
                .bind("e", s.email()).mapToMap().list());
        List<Map<String, Object>> a = stored.apply(fresh);
        assertEquals(8, a.size());
        assertTrue(a.get(0).get("give_back_until") != null, "p0 is in a give-back window: " + a.get(0));
        assertEquals(0L, ((Number) a.get(7).get("rows")).longValue());
        assertEquals(stored.apply(known), a);
    }

    @Test
    void a_retry_while_the_first_request_with_its_key_is_still_in_flight_gets_409() throws Exception {
        TestServer.Session s = server.registerLongLived();
        long userId = ((Number) server.as(s.accessToken()).get("/v1/me").path("id")).longValue();
        String key = UUID.randomUUID().toString();
        // Hold the key's lock the way a first, unfinished request does.
        long lock = java.nio.ByteBuffer.wrap(reciprocity.auth.Secrets.sha256(userId + "\n" + key)).getLong();
        try (org.jdbi.v3.core.Handle h = server.database.jdbi().open()) {
            h.execute("select pg_advisory_lock(?)", lock);
            server.as(s.accessToken()).header("Idempotency-Key", key)
                    .body(interaction(Map.of("url", "https://x.com/twin"), "inbound", "comment")).post("/v1/interactions")
                    .then().statusCode(409);
            h.execute("select pg_advisory_unlock(?)", lock);
        }
        server.as(s.accessToken()).header("Idempotency-Key", key)
                .body(interaction(Map.of("url", "https://x.com/twin"), "inbound", "comment")).post("/v1/interactions")
                .then().statusCode(201);
    }
}
