package reciprocity.contacts;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reciprocity.support.TestServer;

/** Contacts, handles and merges through HTTP, every exchange checked against openapi.yaml. */
class ContactApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Map<String, Object> contact(String name, Object... handles) {
        Map<String, Object> body = new HashMap<>();
        body.put("displayName", name);
        body.put("handles", List.of(handles));
        return body;
    }

    static long create(String token, Map<String, Object> body) {
        return server.as(token).body(body).post("/v1/contacts").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    static long create(String token, String name, Object... handles) {
        return create(token, contact(name, handles));
    }

    static Response interact(String token, Map<String, Object> person, String direction, String kind, Instant at) {
        return server.as(token).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("person", person, "direction", direction, "kind", kind, "occurredAt", at.toString()))
                .post("/v1/interactions");
    }

    static List<String> names(String token, Map<String, ?> query) {
        return server.as(token).queryParams(query).get("/v1/contacts").then().statusCode(200).extract().jsonPath().getList("items.displayName");
    }

    /** Walks every page of a list with the given page size. */
    static List<String> allPages(String token, Map<String, ?> query, int limit) {
        List<String> out = new ArrayList<>();
        String cursor = null;
        for (int guard = 0; guard < 100; guard++) {
            var spec = server.as(token).queryParams(query).queryParam("limit", limit);
            if (cursor != null) spec.queryParam("cursor", cursor);
            var page = spec.get("/v1/contacts").then().statusCode(200).extract().jsonPath();
            List<String> items = page.getList("items.displayName");
            assertTrue(items.size() <= limit);
            out.addAll(items);
            cursor = page.getString("nextCursor");
            if (cursor == null) return out;
        }
        throw new AssertionError("pagination did not end");
    }

    @Test
    void a_new_contact_has_canonical_handles_and_a_summary_of_what_is_owed() {
        String t = server.registerLongLived().accessToken();
        Map<String, Object> body = contact("Alice Liddell", Map.of("url", "https://mobile.twitter.com/Alice/status/5?s=20"),
                Map.of("platform", "github", "handle", "@Alice-L"));
        body.put("cadenceDays", 30);
        body.put("notes", "Met at RustConf");
        body.put("tags", List.of("friends", " rust ", "friends"));
        var created = server.as(t).body(body).post("/v1/contacts").then().statusCode(201)
                .body("displayName", equalTo("Alice Liddell"))
                .body("handles", hasSize(2))
                .body("handles[0].platform", equalTo("x")).body("handles[0].handle", equalTo("alice"))
                .body("handles[0].url", equalTo("https://x.com/alice"))
                .body("handles[1].platform", equalTo("github")).body("handles[1].handle", equalTo("alice-l"))
                .body("tags", equalTo(List.of("friends", "rust")))
                .body("cadenceDays", equalTo(30)).body("notes", equalTo("Met at RustConf"))
                .body("person.balance", equalTo(0.0f)).body("person.lastInteractionAt", nullValue())
                .body("person.badge.color", equalTo("none"))
                .extract().jsonPath();
        long id = created.getLong("id");
        server.as(t).get("/v1/contacts/" + id).then().statusCode(200)
                .body("id", equalTo((int) id)).body("handles", hasSize(2)).body("person.contactId", equalTo((int) id));

        // An interaction by URL lands on this contact, not on a new one.
        interact(t, Map.of("url", "https://x.com/ALICE"), "inbound", "comment", server.clock.instant()).then().statusCode(201)
                .body("contactId", equalTo((int) id));
        server.as(t).get("/v1/contacts/" + id).then().body("person.owed.reply", equalTo(1)).body("person.badge.color", equalTo("amber"));
    }

    @Test
    void bad_fields_are_problems_naming_the_field_and_nothing_is_written() {
        String t = server.registerLongLived().accessToken();
        Map<String, Object> ok = Map.of("platform", "x", "handle", "carol");
        record Case(Map<String, Object> body, int status, String field) {}
        List<Case> cases = new ArrayList<>();
        cases.add(new Case(contact("", ok), 400, "displayName"));
        cases.add(new Case(contact("x".repeat(101), ok), 400, "displayName"));
        Map<String, Object> notes = contact("Carol", ok);
        notes.put("notes", "n".repeat(5001));
        cases.add(new Case(notes, 400, "notes"));
        Map<String, Object> manyTags = contact("Carol", ok);
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < 21; i++) tags.add("t" + i);
        manyTags.put("tags", tags);
        cases.add(new Case(manyTags, 400, "tags"));
        Map<String, Object> longTag = contact("Carol", ok);
        longTag.put("tags", List.of("ok", "t".repeat(51)));
        cases.add(new Case(longTag, 400, "tags[1]"));
        for (int days : new int[] {0, 3651}) {
            Map<String, Object> cadence = contact("Carol", ok);
            cadence.put("cadenceDays", days);
            cases.add(new Case(cadence, 400, "cadenceDays"));
        }
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 21; i++) many.add(Map.of("platform", "x", "handle", "h" + i));
        cases.add(new Case(contact("Carol", many.toArray()), 400, "handles"));
        cases.add(new Case(contact("Carol", ok, Map.of("platform", "x", "handle", "h".repeat(201))), 400, "handles[1].handle"));
        cases.add(new Case(contact("Carol", ok, Map.of("platform", "x", "handle", "bad handle!")), 400, "handles[1].handle"));
        cases.add(new Case(contact("Carol", ok, Map.of("platform", "myspace", "handle", "carol")), 400, "handles[1].platform"));
        cases.add(new Case(contact("Carol", ok, Map.of("url", "https://example.com/carol")), 422, "handles[1].url"));
        cases.add(new Case(contact("Carol", ok, Map.of("url", "https://x.com/home")), 422, "handles[1].url"));
        cases.add(new Case(contact("Carol", ok, Map.of("url", "not a url")), 400, "handles[1].url"));
        Map<String, Object> unknown = contact("Carol", ok);
        unknown.put("balance", 3);
        cases.add(new Case(unknown, 400, "balance"));
        Map<String, Object> noHandles = new HashMap<>(Map.of("displayName", "Carol"));
        cases.add(new Case(noHandles, 400, "handles"));

        for (Case c : cases) {
            server.rawAs(t).body(c.body()).post("/v1/contacts").then()
                    .statusCode(c.status()).contentType("application/problem+json").body("field", equalTo(c.field()));
        }
        server.as(t).get("/v1/contacts").then().statusCode(200).body("items", hasSize(0));
        // The valid first handle of a rejected request was not kept: it is free now.
        create(t, "Carol", ok);
    }

    @Test
    void a_handle_belongs_to_one_contact_and_adding_a_taken_one_is_a_409_naming_its_contact() {
        String t = server.registerLongLived().accessToken();
        long alice = create(t, "Alice", Map.of("platform", "x", "handle", "alice"));
        long bob = create(t, "Bob");

        server.rawAs(t).body(Map.of("url", "https://twitter.com/ALICE")).post("/v1/contacts/" + bob + "/handles").then()
                .statusCode(409).body("detail", equalTo("x:alice already belongs to contact " + alice + " (Alice)"));
        server.rawAs(t).body(contact("Alice again", Map.of("url", "https://x.com/alice"))).post("/v1/contacts").then()
                .statusCode(409).body("detail", containsString("contact " + alice + " (Alice)"));

        long handleId = server.as(t).body(Map.of("url", "https://github.com/Bob")).post("/v1/contacts/" + bob + "/handles").then()
                .statusCode(201).body("platform", equalTo("github")).body("handle", equalTo("bob"))
                .body("url", equalTo("https://github.com/bob")).extract().jsonPath().getLong("id");
        server.as(t).get("/v1/contacts/" + bob).then().body("handles", hasSize(1)).body("handles[0].id", equalTo((int) handleId));

        server.rawAs(t).body(Map.of("platform", "x")).post("/v1/contacts/" + bob + "/handles").then().statusCode(400);
        server.rawAs(t).body(Map.of("url", "https://example.com/x")).post("/v1/contacts/" + bob + "/handles").then()
                .statusCode(422).body("field", equalTo("url"));

        // A handle is removed only through its own contact.
        server.as(t).delete("/v1/contacts/" + alice + "/handles/" + handleId).then().statusCode(404);
        server.as(t).delete("/v1/contacts/" + bob + "/handles/" + handleId).then().statusCode(204);
        server.as(t).delete("/v1/contacts/" + bob + "/handles/" + handleId).then().statusCode(404);
        server.as(t).get("/v1/contacts/" + bob).then().body("handles", hasSize(0));
        // Freed, it can go to another contact.
        server.as(t).body(Map.of("url", "https://github.com/bob")).post("/v1/contacts/" + alice + "/handles").then().statusCode(201);
    }

    @Test
    void the_list_filters_by_name_or_handle_tag_and_what_is_owed() {
        String t = server.registerLongLived().accessToken();
        Map<String, Object> alice = contact("Alice Liddell", Map.of("platform", "x", "handle", "wonder_girl"));
        alice.put("tags", List.of("friends"));
        create(t, alice);
        Map<String, Object> bob = contact("Bob 100%_sure", Map.of("platform", "github", "handle", "bobby"));
        bob.put("tags", List.of("work", "friends"));
        create(t, bob);
        create(t, "Carol", Map.of("platform", "reddit", "handle", "carol_w"));
        interact(t, Map.of("platform", "reddit", "handle", "carol_w"), "inbound", "mention", server.clock.instant()).then().statusCode(201);

        assertEquals(List.of("Alice Liddell"), names(t, Map.of("q", "LIDD", "sort", "name")));
        assertEquals(List.of("Alice Liddell"), names(t, Map.of("q", "Wonder", "sort", "name")));
        assertEquals(List.of("Bob 100%_sure"), names(t, Map.of("q", "100%_", "sort", "name")));
        assertEquals(List.of("Bob 100%_sure"), names(t, Map.of("q", "%", "sort", "name")));
        assertEquals(List.of("Alice Liddell", "Bob 100%_sure"), names(t, Map.of("tag", "friends", "sort", "name")));
        assertEquals(List.of("Bob 100%_sure"), names(t, Map.of("tag", "work")));
        assertEquals(List.of("Carol"), names(t, Map.of("owed", "true")));
        assertEquals(List.of("Alice Liddell", "Bob 100%_sure"), names(t, Map.of("owed", "false", "sort", "name")));
        assertEquals(List.of("Carol"), names(t, Map.of("owed", "true", "q", "car", "sort", "balance")));
    }

    @Test
    void urgency_puts_what_is_owed_first_most_urgent_first_then_everyone_by_name() {
        String t = server.registerLongLived().accessToken();
        Instant now = server.clock.instant();
        create(t, "Zed");
        create(t, "Amy");
        interact(t, Map.of("platform", "x", "handle", "due_now"), "inbound", "comment", now.minus(Duration.ofHours(1))).then().statusCode(201);
        interact(t, Map.of("platform", "x", "handle", "overdue"), "inbound", "comment", now.minus(Duration.ofDays(3))).then().statusCode(201);
        interact(t, Map.of("platform", "x", "handle", "answered"), "inbound", "comment", now.minus(Duration.ofDays(4))).then().statusCode(201);
        interact(t, Map.of("platform", "x", "handle", "answered"), "outbound", "reply", now.minus(Duration.ofDays(2))).then().statusCode(201);
        // A give-back: they recommended you twice lately (balance 6 ≥ 3) and nothing is pending a reply.
        interact(t, Map.of("platform", "x", "handle", "generous"), "inbound", "recommendation", now).then().statusCode(201);
        interact(t, Map.of("platform", "x", "handle", "generous"), "inbound", "recommendation", now).then().statusCode(201);

        List<String> expected = List.of("overdue", "due_now", "generous", "Amy", "answered", "Zed");
        assertEquals(expected, names(t, Map.of()));
        assertEquals(expected, names(t, Map.of("sort", "urgency")));
        assertEquals(expected, allPages(t, Map.of("sort", "urgency"), 1));
        assertEquals(expected, allPages(t, Map.of(), 4));
    }

    @Test
    void balance_sorts_by_the_balance_decayed_to_now_and_last_interaction_by_recency() {
        String t = server.registerLongLived().accessToken();
        Instant now = server.clock.instant();
        // Old: a recommendation (3.0) sixty days ago is worth 0.75 now, though 3.0 is stored.
        interact(t, Map.of("platform", "x", "handle", "old_friend"), "inbound", "recommendation", now.minus(Duration.ofDays(60))).then().statusCode(201);
        interact(t, Map.of("platform", "x", "handle", "recent"), "inbound", "comment", now.minus(Duration.ofMinutes(1))).then().statusCode(201);
        interact(t, Map.of("platform", "x", "handle", "owes_me"), "outbound", "message", now.minus(Duration.ofDays(1))).then().statusCode(201);
        create(t, "never");

        List<String> byBalance = List.of("recent", "old_friend", "never", "owes_me");
        assertEquals(byBalance, names(t, Map.of("sort", "balance")));
        assertEquals(byBalance, allPages(t, Map.of("sort", "balance"), 1));
        var items = server.as(t).queryParam("sort", "balance").get("/v1/contacts").then().extract().jsonPath();
        assertEquals(0.75, items.getDouble("items[1].person.balance"), 0.01);

        List<String> byRecency = List.of("recent", "owes_me", "old_friend", "never");
        assertEquals(byRecency, names(t, Map.of("sort", "lastInteraction")));
        assertEquals(byRecency, allPages(t, Map.of("sort", "lastInteraction"), 1));
    }

    @Test
    void pages_follow_each_other_and_a_forged_or_foreign_cursor_is_a_400() {
        TestServer.Session a = server.registerLongLived();
        TestServer.Session b = server.registerLongLived();
        List<String> all = new ArrayList<>();
        for (String n : List.of("eve", "Dan", "carl", "Bea", "al")) {
            create(a.accessToken(), n);
            create(b.accessToken(), n);
        }
        all.addAll(List.of("al", "Bea", "carl", "Dan", "eve"));
        assertEquals(all, names(a.accessToken(), Map.of("sort", "name")));
        assertEquals(all, allPages(a.accessToken(), Map.of("sort", "name"), 2));

        String cursor = server.as(a.accessToken()).queryParam("sort", "name").queryParam("limit", 2).get("/v1/contacts")
                .then().extract().jsonPath().getString("nextCursor");
        assertNotNull(cursor);
        server.rawAs(b.accessToken()).queryParam("sort", "name").queryParam("cursor", cursor).get("/v1/contacts").then()
                .statusCode(400).body("field", equalTo("cursor"));
        server.rawAs(a.accessToken()).queryParam("sort", "balance").queryParam("cursor", cursor).get("/v1/contacts").then()
                .statusCode(400).body("field", equalTo("cursor"));
        // Same shape as a real cursor, values of our choosing, a signature made up.
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String forged = b64.encodeToString("a\n1".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + b64.encodeToString(new byte[16]);
        server.rawAs(a.accessToken()).queryParam("sort", "name").queryParam("cursor", forged).get("/v1/contacts").then()
                .statusCode(400).body("field", equalTo("cursor"));
        server.rawAs(a.accessToken()).queryParam("sort", "name").queryParam("cursor", "garbage").get("/v1/contacts").then()
                .statusCode(400).body("field", equalTo("cursor"));
        server.rawAs(a.accessToken()).queryParam("limit", 101).get("/v1/contacts").then().statusCode(400).body("field", equalTo("limit"));
        server.rawAs(a.accessToken()).queryParam("sort", "age").get("/v1/contacts").then().statusCode(400).body("field", equalTo("sort"));
        server.rawAs(a.accessToken()).queryParam("owed", "maybe").get("/v1/contacts").then().statusCode(400).body("field", equalTo("owed"));
        server.as(a.accessToken()).get("/v1/contacts").then().body("items", hasSize(5)).body("nextCursor", nullValue());
    }

    @Test
    void patch_changes_only_the_fields_sent_and_a_cadence_opens_keep_in_touch() {
        String t = server.registerLongLived().accessToken();
        Map<String, Object> body = contact("Dora", Map.of("platform", "github", "handle", "dora"));
        body.put("notes", "likes maps");
        body.put("tags", List.of("travel"));
        long id = create(t, body);

        server.as(t).body(Map.of("displayName", "Dora the Explorer")).patch("/v1/contacts/" + id).then().statusCode(200)
                .body("displayName", equalTo("Dora the Explorer")).body("notes", equalTo("likes maps"))
                .body("tags", equalTo(List.of("travel"))).body("handles", hasSize(1));
        Map<String, Object> clear = new HashMap<>();
        clear.put("notes", null);
        clear.put("tags", List.of());
        clear.put("cadenceDays", 7);
        server.as(t).body(clear).patch("/v1/contacts/" + id).then().statusCode(200)
                .body("notes", nullValue()).body("tags", hasSize(0)).body("cadenceDays", equalTo(7))
                .body("displayName", equalTo("Dora the Explorer")).body("person.owed.keepInTouch", equalTo(false));

        server.clock.advance(Duration.ofDays(8));
        server.as(t).get("/v1/contacts/" + id).then().body("person.owed.keepInTouch", equalTo(true)).body("person.badge.color", equalTo("blue"));
        Map<String, Object> noCadence = new HashMap<>();
        noCadence.put("cadenceDays", null);
        server.as(t).body(noCadence).patch("/v1/contacts/" + id).then().statusCode(200)
                .body("cadenceDays", nullValue()).body("person.owed.keepInTouch", equalTo(false));

        server.rawAs(t).body(Map.of("displayName", " ")).patch("/v1/contacts/" + id).then().statusCode(400).body("field", equalTo("displayName"));
        server.rawAs(t).body(Map.of("handles", List.of())).patch("/v1/contacts/" + id).then().statusCode(400).body("field", equalTo("handles"));
        server.rawAs(t).body(Map.of("cadenceDays", 4000)).patch("/v1/contacts/" + id).then().statusCode(400).body("field", equalTo("cadenceDays"));
        server.as(t).get("/v1/contacts/" + id).then().body("displayName", equalTo("Dora the Explorer"));
    }

    @Test
    void deleting_a_contact_deletes_its_handles_and_interactions() {
        String t = server.registerLongLived().accessToken();
        long id = create(t, "Eve", Map.of("platform", "x", "handle", "eve"));
        long interaction = interact(t, Map.of("contactId", id), "inbound", "comment", server.clock.instant())
                .then().statusCode(201).extract().jsonPath().getLong("id");
        server.as(t).delete("/v1/contacts/" + id).then().statusCode(204);
        server.as(t).get("/v1/contacts/" + id).then().statusCode(404);
        server.as(t).delete("/v1/contacts/" + id).then().statusCode(404);
        server.as(t).get("/v1/interactions/" + interaction).then().statusCode(404);
        server.as(t).get("/v1/summary").then().body("open", equalTo(0));
        // Gone from the tables too, not just hidden (V11's trigger stands in for the foreign key's cascade).
        long left = server.database.jdbi().withHandle(h -> h.createQuery("""
                        select (select count(*) from interactions where contact_id = :c)
                             + (select count(*) from obligations where contact_id = :c)
                             + (select count(*) from handles where contact_id = :c)""")
                .bind("c", id).mapTo(Long.class).one());
        assertEquals(0, left);
        // The handle is free again.
        create(t, "Eve", Map.of("platform", "x", "handle", "eve"));
    }

    @Test
    void merge_moves_handles_and_interactions_deletes_the_other_and_recomputes_the_ledger() {
        String t = server.registerLongLived().accessToken();
        Instant now = server.clock.instant();
        Map<String, Object> first = contact("Frank", Map.of("platform", "x", "handle", "frank"));
        first.put("tags", List.of("a"));
        long keep = create(t, first);
        Map<String, Object> second = contact("frank on github", Map.of("platform", "github", "handle", "frankie"));
        second.put("tags", List.of("b", "a"));
        second.put("notes", "same person");
        second.put("cadenceDays", 10);
        long other = create(t, second);
        interact(t, Map.of("platform", "x", "handle", "frank"), "inbound", "comment", now.minus(Duration.ofHours(2))).then().statusCode(201);
        // The answer went to his other account: before the merge it settles nothing.
        interact(t, Map.of("platform", "github", "handle", "frankie"), "outbound", "reply", now.minus(Duration.ofHours(1))).then().statusCode(201);
        server.as(t).get("/v1/contacts/" + keep).then().body("person.owed.reply", equalTo(1));

        server.rawAs(t).body(Map.of("otherContactId", keep)).post("/v1/contacts/" + keep + "/merge").then().statusCode(422)
                .body("field", equalTo("otherContactId"));
        server.rawAs(t).body(Map.of()).post("/v1/contacts/" + keep + "/merge").then().statusCode(400);
        server.rawAs(t).body(Map.of("otherContactId", 999_999_999)).post("/v1/contacts/" + keep + "/merge").then().statusCode(404);

        var merged = server.as(t).body(Map.of("otherContactId", other)).post("/v1/contacts/" + keep + "/merge").then().statusCode(200)
                .body("id", equalTo((int) keep)).body("displayName", equalTo("Frank"))
                .body("handles.handle", equalTo(List.of("frank", "frankie")))
                .body("tags", equalTo(List.of("a", "b"))).body("notes", equalTo("same person")).body("cadenceDays", equalTo(10))
                .body("person.owed.reply", equalTo(0)).body("person.badge.color", equalTo("none"))
                .extract().jsonPath();
        assertEquals(0.0, merged.getDouble("person.balance"), 0.01);
        server.as(t).get("/v1/contacts/" + other).then().statusCode(404);
        server.as(t).queryParam("contactId", keep).get("/v1/interactions").then().body("items", hasSize(2));
        server.as(t).queryParam("contactId", other).get("/v1/interactions").then().body("items", hasSize(0));
        server.as(t).queryParam("url", "https://github.com/frankie").get("/v1/lookup").then()
                .body("person.contactId", equalTo((int) keep));
        server.as(t).get("/v1/contacts").then().body("items", hasSize(1));
    }

    @Test
    void another_user_gets_404_for_every_contact_route_and_never_sees_the_rows() {
        String a = server.registerLongLived().accessToken();
        String b = server.registerLongLived().accessToken();
        long aContact = create(a, "Secret Sam", Map.of("platform", "x", "handle", "secret_sam"));
        long aHandle = server.as(a).get("/v1/contacts/" + aContact).then().extract().jsonPath().getLong("handles[0].id");
        long bContact = create(b, "Bea");

        server.as(b).get("/v1/contacts/" + aContact).then().statusCode(404);
        server.as(b).body(Map.of("displayName", "Mine now")).patch("/v1/contacts/" + aContact).then().statusCode(404);
        server.as(b).delete("/v1/contacts/" + aContact).then().statusCode(404);
        server.as(b).body(Map.of("platform", "x", "handle", "b_adds")).post("/v1/contacts/" + aContact + "/handles").then().statusCode(404);
        server.as(b).delete("/v1/contacts/" + aContact + "/handles/" + aHandle).then().statusCode(404);
        server.as(b).delete("/v1/contacts/" + bContact + "/handles/" + aHandle).then().statusCode(404);
        server.as(b).body(Map.of("otherContactId", bContact)).post("/v1/contacts/" + aContact + "/merge").then().statusCode(404);
        server.as(b).body(Map.of("otherContactId", aContact)).post("/v1/contacts/" + bContact + "/merge").then().statusCode(404);
        server.rawAs(b).get("/v1/contacts/not-a-number").then().statusCode(404);

        // B's lists never show A's rows, and the same handle is independent per user.
        server.as(b).get("/v1/contacts").then().body("items.displayName", equalTo(List.of("Bea")));
        server.as(b).queryParam("q", "secret").get("/v1/contacts").then().body("items", hasSize(0));
        create(b, "Sam to me", Map.of("platform", "x", "handle", "secret_sam"));
        server.as(a).get("/v1/contacts/" + aContact).then().statusCode(200)
                .body("displayName", equalTo("Secret Sam")).body("handles", hasSize(1));
        server.as(a).queryParam("q", "Bea").get("/v1/contacts").then().body("items", hasSize(0));
    }
}
