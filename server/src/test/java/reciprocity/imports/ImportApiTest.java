package reciprocity.imports;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reciprocity.App;
import reciprocity.support.TestServer;

/** Imports end to end through HTTP: every format from the real samples and generated files, re-imports, bad files, isolation. */
class ImportApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static long upload(String token, String format, byte[] bytes) {
        Number id = server.as(token).contentType("application/octet-stream").queryParam("format", format).body(bytes)
                .post("/v1/imports").then().statusCode(202).extract().path("importId");
        return id.longValue();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> finished(String token, long id) {
        for (int i = 0; i < 1200; i++) {
            Map<String, Object> job = server.as(token).get("/v1/imports/" + id).then().statusCode(200).extract().as(Map.class);
            if (List.of("done", "failed", "cancelled").contains(job.get("state"))) return job;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("import " + id + " did not finish");
    }

    static Map<String, Object> run(String token, String format, byte[] bytes) {
        return finished(token, upload(token, format, bytes));
    }

    static long n(Map<String, Object> job, String field) {
        return ((Number) job.get(field)).longValue();
    }

    @SuppressWarnings("unchecked")
    static List<String> reasons(Map<String, Object> job) {
        return ((List<Map<String, Object>>) job.get("errors")).stream().map(e -> (String) e.get("reason")).toList();
    }

    static int count(String token, String query) {
        List<?> items = server.as(token).get("/v1/interactions?limit=100" + query).then().statusCode(200).extract().path("items");
        return items.size();
    }

    @Test
    void an_x_archive_zip_imports_replies_mentions_and_dms_and_a_second_import_creates_nothing() {
        String token = server.registerLongLived().accessToken();
        Map<String, Object> job = run(token, "x-archive", ImportFiles.xArchive());
        assertEquals("done", job.get("state"), job.toString());
        assertEquals(41, n(job, "total"));
        assertEquals(41, n(job, "processed"));
        assertEquals(40, n(job, "created"));
        assertEquals(1, n(job, "errorCount"));
        assertTrue(reasons(job).get(0).startsWith("unknown user id 777"), reasons(job).toString());
        assertEquals("x", server.as(token).get("/v1/me/identities").then().extract().path("items[0].platform"));
        assertEquals("me_test", server.as(token).get("/v1/me/identities").then().extract().path("items[0].handle"));

        server.as(token).queryParam("url", "https://x.com/RPDeshaies").get("/v1/lookup").then().statusCode(200)
                .body("person.displayName", equalTo("rpdeshaies"));
        assertEquals(1, count(token, "&direction=inbound&kind=message"));
        assertEquals(1, count(token, "&direction=outbound&kind=share"));

        Map<String, Object> again = run(token, "x-archive", ImportFiles.xArchive());
        assertEquals("done", again.get("state"));
        assertEquals(0, n(again, "created"));
        assertEquals(40, n(again, "duplicates"));
    }

    @Test
    void single_x_files_are_recognised_and_dm_partners_the_archive_never_names_are_reported() {
        String token = server.registerLongLived().accessToken();
        Map<String, Object> tweets = run(token, "x-archive", ImportFiles.sample("x-archive/enchanted-twin/tweets.js"));
        assertEquals("done", tweets.get("state"));
        assertEquals(2, n(tweets, "created")); // a reply to @John2Retour and a mention of @JohnRetour
        Map<String, Object> dms = run(token, "x-archive", ImportFiles.sample("x-archive/enchanted-twin/direct-messages.js"));
        assertEquals("done", dms.get("state"));
        assertEquals(0, n(dms, "created"));
        assertEquals(7, n(dms, "errorCount"));
        assertTrue(reasons(dms).stream().allMatch(r -> r.startsWith("unknown user id")), reasons(dms).toString());
    }

    @Test
    void a_mastodon_archive_imports_replies_and_mentions_from_zip_and_tar_gz_alike() {
        String token = server.registerLongLived().accessToken();
        Map<String, byte[]> files = ImportFiles.files("actor.json", ImportFiles.sample("mastodon/archive-fossilizer/actor.json"),
                "outbox.json", ImportFiles.sample("mastodon/archive-fossilizer/outbox.json"));
        Map<String, Object> job = run(token, "mastodon-archive", ImportFiles.zip(files));
        assertEquals("done", job.get("state"), job.toString());
        assertEquals(19, n(job, "total"));
        assertEquals(19, n(job, "created"), job.toString());
        server.as(token).get("/v1/me/identities").then().body("items.handle", hasItem("lmorchard@toot.lmorchard.com"));
        assertEquals(1, count(token, "&kind=reply"));
        server.as(token).queryParam("q", "testbot").get("/v1/contacts").then()
                .body("items[0].displayName", equalTo("testbot@toot.lmorchard.com"));

        Map<String, Object> tar = run(token, "mastodon-archive", ImportFiles.tarGz(files));
        assertEquals("done", tar.get("state"));
        assertEquals(0, n(tar, "created"));
        assertEquals(19, n(tar, "duplicates"));
    }

    @Test
    void a_linkedin_export_makes_contacts_follows_recommendations_and_messages_and_reports_bad_dates() {
        String token = server.registerLongLived().accessToken();
        byte[] zip = ImportFiles.zip(ImportFiles.files(
                "Connections.csv", ImportFiles.sample("linkedin/tekjobs-synthetic/Connections.csv"),
                "Invitations.csv", ImportFiles.sample("linkedin/tekjobs-synthetic/Invitations.csv"),
                "messages.csv", ImportFiles.sample("linkedin/tekjobs-synthetic/messages.csv"),
                "Recommendations_Received.csv", ImportFiles.sample("linkedin/suduli/Recommendations_Received.csv"),
                "Endorsement_Received_Info.csv", ImportFiles.sample("linkedin/linkedin-export-viewer-synthetic/Endorsement_Received_Info.csv")));
        Map<String, Object> job = run(token, "linkedin-export", zip);
        assertEquals("done", job.get("state"), job.toString());
        assertEquals(49, n(job, "total"), job.toString()); // 4 connections, 1 invitation, 20 endorsements, 21 recommendations, 3 messages
        assertEquals(29, n(job, "created"), job.toString());
        assertEquals(20, n(job, "errorCount"));
        assertTrue(reasons(job).stream().allMatch(r -> r.contains("before 1990")), reasons(job).toString());
        server.as(token).get("/v1/me/identities").then().body("items.handle", hasItem("avery-sample"));
        server.as(token).queryParam("url", "https://www.linkedin.com/in/jane-doe-example").get("/v1/lookup").then()
                .body("person.displayName", equalTo("Jane Doe"));
        assertEquals(21, count(token, "&kind=recommendation"));
        assertEquals(2, count(token, "&kind=message&direction=inbound"));
        assertEquals(1, count(token, "&kind=message&direction=outbound"));
        assertEquals(1, count(token, "&kind=follow"));
        server.as(token).queryParam("q", "Phaneendra").get("/v1/contacts").then().statusCode(200)
                .body("items[0].displayName", equalTo("Phaneendra Nalla"));

        Map<String, Object> again = run(token, "linkedin-export", zip);
        assertEquals(0, n(again, "created"), again.toString());
        assertEquals(29, n(again, "duplicates"));
    }

    @Test
    void a_reddit_export_imports_messages_both_ways_and_says_why_comments_are_skipped() {
        String token = server.registerLongLived().accessToken();
        String messages = """
                id,permalink,thread_id,date,ip,from,to,subject,body
                m1,/message/messages/m1,,2024-02-01 10:00:00 UTC,0.0.0.0,alice_r,me_user,hello,"hi there, friend"
                m2,/message/messages/m2,,2024-02-01 11:00:00 UTC,0.0.0.0,me_user,alice_r,re: hello,hey
                m3,/message/messages/m3,,2024-02-02 09:00:00 UTC,0.0.0.0,bob_r,me_user,question,"multi
                line"
                m4,/message/messages/m4,,not a date,0.0.0.0,bob_r,me_user,x,y
                """;
        Map<String, Object> job = run(token, "reddit-export", ImportFiles.zip(ImportFiles.files("export/messages.csv", ImportFiles.text(messages),
                "export/comments.csv", ImportFiles.sample("reddit/potluck-synthetic/comments.csv"))));
        assertEquals("done", job.get("state"), job.toString());
        assertEquals(3, n(job, "created"));
        assertEquals(5, n(job, "errorCount"));
        assertTrue(reasons(job).get(0).contains("unparseable date"), reasons(job).toString());
        assertTrue(reasons(job).get(1).contains("does not say whose"), reasons(job).toString());
        assertEquals(2, count(token, "&direction=inbound"));
        server.as(token).get("/v1/me/identities").then().body("items.handle", hasItem("me_user"));
    }

    @Test
    void generic_csv_and_json_import_good_rows_and_report_bad_ones_and_a_wrong_shape_fails_with_one_reason() {
        String token = server.registerLongLived().accessToken();
        String csv = """
                platform,handle,url,direction,kind,occurredAt,note,externalId
                x,carol,,inbound,comment,2025-01-01T10:00:00Z,nice,c-1
                ,,https://github.com/dave,outbound,reply,2025-01-02T10:00:00Z,,c-2
                x,erin,,inbound,hug,2025-01-03T10:00:00Z,,c-3
                x,frank,,inbound,comment,yesterday,,c-4
                """;
        Map<String, Object> job = run(token, "csv", ImportFiles.text(csv));
        assertEquals("done", job.get("state"));
        assertEquals(2, n(job, "created"));
        assertEquals(2, n(job, "errorCount"));
        assertTrue(reasons(job).get(0).startsWith("kind must be one of"), reasons(job).toString());
        assertTrue(reasons(job).get(1).contains("unparseable date `yesterday`"), reasons(job).toString());
        assertEquals(4L, n(job, "processed"));

        Map<String, Object> missing = run(token, "csv", ImportFiles.text("platform,handle,when\nx,carol,2025-01-01\n"));
        assertEquals("failed", missing.get("state"));
        assertTrue(((String) missing.get("reason")).contains("lacks the columns direction, kind"), missing.toString());

        String json = """
                {"items": [
                  {"person": {"platform": "x", "handle": "gina"}, "direction": "inbound", "kind": "mention", "occurredAt": "2025-02-01T10:00:00Z", "externalId": "j-1"},
                  {"person": {"platform": "x", "handle": "gina"}, "direction": "sideways", "kind": "mention"},
                  {"person": {"platform": "x", "handle": "gina"}, "direction": "inbound", "kind": "mention", "colour": "red"},
                  {"person": {"platform": "x", "handle": "gina"}, "direction": "inbound", "kind": "mention", "occurredAt": "2025-02-01"}
                ]}""";
        Map<String, Object> ok = run(token, "json", ImportFiles.text(json));
        assertEquals("done", ok.get("state"));
        assertEquals(1, n(ok, "created"));
        assertEquals(3, n(ok, "errorCount"));
        assertTrue(reasons(ok).get(1).startsWith("Unknown field `colour`; known fields are"), reasons(ok).toString());
        assertEquals("`occurredAt` must be a time with its zone, such as 2025-01-01T10:00:00Z or 2025-01-01T12:00:00+02:00"
                + " (got `2025-02-01`)", reasons(ok).get(2));
        assertEquals(0, n(run(token, "json", ImportFiles.text(json)), "created"));

        Map<String, Object> wrong = run(token, "json", ImportFiles.text("{\"interactions\": []}"));
        assertEquals("failed", wrong.get("state"));
        assertTrue(((String) wrong.get("reason")).contains("without an `items` array"));
    }

    @Test
    void a_csv_header_may_spell_its_columns_as_a_spreadsheet_does_and_a_column_read_under_no_name_is_reported() {
        String token = server.registerLongLived().accessToken();
        // A byte order mark, any case, snake and kebab case, and a column the format does not read.
        String csv = "\uFEFFPlatform,Handle,Direction,KIND,occurred_at,External-ID,colour\n"
                + "x,hana,inbound,comment,2025-03-01T10:00:00Z,h-1,red\n"
                + "x,ivan,outbound,reply,2025-03-02T10:00:00Z,h-2,blue\n";
        Map<String, Object> job = run(token, "csv", ImportFiles.text(csv));
        assertEquals("done", job.get("state"), job.toString());
        assertEquals(2, n(job, "created"));
        assertEquals(1, n(job, "errorCount"));
        assertEquals(3L, n(job, "processed"));
        assertEquals(3L, n(job, "total"));
        assertTrue(reasons(job).get(0).startsWith("the column colour is not read by the csv format"), reasons(job).toString());
        // occurred_at was read as occurredAt, and External-ID as externalId: the same file again creates nothing.
        List<String> when = server.as(token).get("/v1/interactions?limit=10").then().statusCode(200).extract().path("items.occurredAt");
        assertEquals(List.of("2025-03-02T10:00:00Z", "2025-03-01T10:00:00Z"), when);
        Map<String, Object> again = run(token, "csv", ImportFiles.text(csv));
        assertEquals(0, n(again, "created"));
        assertEquals(2, n(again, "duplicates"));

        Map<String, Object> semicolons = run(token, "csv", ImportFiles.text("platform;handle;direction;kind\nx;jo;inbound;like\n"));
        assertEquals("failed", semicolons.get("state"));
        assertTrue(((String) semicolons.get("reason")).endsWith("(its columns seem separated by semicolons; the csv format reads commas)"),
                semicolons.toString());
    }

    @Test
    void a_file_that_is_not_the_format_claimed_fails_as_a_whole_with_one_reason() {
        String token = server.registerLongLived().accessToken();
        Map<String, Object> job = run(token, "x-archive", ImportFiles.sample("linkedin/tekjobs-synthetic/messages.csv"));
        assertEquals("failed", job.get("state"));
        assertTrue(((String) job.get("reason")).startsWith("This is not an X archive file"), job.toString());
        assertEquals(0, n(job, "created"));
        Map<String, Object> export = run(token, "reciprocity-export", ImportFiles.text("{\"format\": \"something-else\", \"version\": 1}"));
        assertEquals("failed", export.get("state"));
        assertTrue(((String) export.get("reason")).contains("expected `reciprocity-export`"));
        // A zip with nothing the format reads fails, rather than finishing with nothing imported.
        byte[] zip = ImportFiles.zip(ImportFiles.files("notes.txt", ImportFiles.text("platform,handle,direction,kind\nx,kim,inbound,like\n")));
        Map<String, Object> csv = run(token, "csv", zip);
        assertEquals("failed", csv.get("state"));
        assertTrue(((String) csv.get("reason")).startsWith("The archive holds no .csv file"), csv.toString());
        Map<String, Object> json = run(token, "json", zip);
        assertEquals("failed", json.get("state"));
        assertTrue(((String) json.get("reason")).startsWith("The archive holds no .json file"), json.toString());
    }

    @Test
    void a_truncated_zip_imports_what_it_holds_before_the_cut_and_reports_the_rest() {
        String token = server.registerLongLived().accessToken();
        byte[] whole = ImportFiles.zip(ImportFiles.files(
                "data/account.js", ImportFiles.text("window.YTD.account.part0 = [ { \"account\" : { \"username\" : \"cutme\", \"accountId\" : \"5\" } } ]"),
                "data/tweets.js", ImportFiles.sample("x-archive/enchanted-twin/tweets.js"),
                "data/tweets-part1.js", ImportFiles.sample("x-archive/darkliquid-twoo/tweets.js")));
        byte[] cut = Arrays.copyOf(whole, whole.length - 3000);
        Map<String, Object> job = run(token, "x-archive", cut);
        assertEquals("done", job.get("state"), job.toString());
        assertTrue(n(job, "created") >= 2, job.toString()); // tweets.js is whole
        assertTrue(n(job, "errorCount") >= 1);
        assertTrue(reasons(job).stream().anyMatch(r -> r.contains("cut short")), reasons(job).toString());
    }

    @Test
    void export_then_import_into_a_fresh_account_gives_the_same_ledger() {
        String a = server.registerLongLived().accessToken();
        server.as(a).body(Map.of("displayName", "Hana", "handles", List.of(Map.of("platform", "x", "handle", "hana")),
                "notes", "met at a conference", "tags", List.of("work"), "cadenceDays", 30)).post("/v1/contacts").then().statusCode(201);
        server.as(a).body(Map.of("displayName", "No Handle Nick", "handles", List.of())).post("/v1/contacts").then().statusCode(201);
        server.as(a).body(Map.of("items", List.of(
                Map.of("person", Map.of("platform", "x", "handle", "hana"), "direction", "inbound", "kind", "comment", "occurredAt", "2025-03-01T10:00:00Z"),
                Map.of("person", Map.of("platform", "x", "handle", "hana"), "direction", "inbound", "kind", "reply", "occurredAt", "2025-03-02T10:00:00Z", "externalId", "e-2"),
                Map.of("person", Map.of("platform", "github", "handle", "ivan"), "direction", "outbound", "kind", "like", "occurredAt", "2025-03-03T10:00:00Z"))))
                .post("/v1/interactions/batch").then().statusCode(200);
        Number obligation = server.as(a).get("/v1/obligations?type=reply").then().statusCode(200).extract().path("items[0].id");
        server.as(a).post("/v1/obligations/" + obligation + "/dismiss").then().statusCode(200);
        byte[] export = server.as(a).get("/v1/export").then().statusCode(200).extract().asByteArray();

        String b = server.registerLongLived().accessToken();
        Map<String, Object> job = run(b, "reciprocity-export", export);
        assertEquals("done", job.get("state"), job.toString());
        assertEquals(0, n(job, "errorCount"), job.toString());
        assertEquals(ledger(a), ledger(b));
        assertEquals(count(a, ""), count(b, ""));
        assertEquals(server.as(a).get("/v1/obligations?state=dismissed").then().extract().path("items.size()"),
                (Object) server.as(b).get("/v1/obligations?state=dismissed").then().extract().path("items.size()"));
        assertEquals(1, (int) server.as(b).get("/v1/obligations?state=dismissed").then().extract().path("items.size()"));

        Map<String, Object> again = run(b, "reciprocity-export", export);
        assertEquals(0, n(again, "created"), again.toString());
        assertEquals(ledger(a), ledger(b));
    }

    /** Contacts with their handles, notes, tags, cadence and balances, by name. */
    static String ledger(String token) {
        List<Map<String, Object>> items = server.as(token).get("/v1/contacts?sort=name&limit=100").then().statusCode(200).extract().path("items");
        StringBuilder out = new StringBuilder();
        for (Map<String, Object> c : items) {
            out.append(c.get("displayName")).append(' ').append(c.get("notes")).append(' ').append(c.get("tags")).append(' ')
                    .append(c.get("cadenceDays")).append(' ');
            for (Object h : (List<?>) c.get("handles")) out.append(((Map<?, ?>) h).get("platform")).append(':').append(((Map<?, ?>) h).get("handle")).append(' ');
            Map<?, ?> person = (Map<?, ?>) c.get("person");
            if (person != null) out.append(person.get("balance")).append(' ').append(person.get("lastInteractionAt")).append(' ').append(person.get("owed"));
            out.append('\n');
        }
        return out.toString();
    }

    @Test
    void multipart_uploads_work_and_bad_requests_are_refused() {
        String token = server.registerLongLived().accessToken();
        // The contract validator cannot read multipart bodies, so this request skips request validation (responses are still checked).
        Number id = server.rawAs(token).contentType("multipart/form-data").queryParam("format", "csv")
                .multiPart("file", "mine.csv", ImportFiles.text("platform,handle,direction,kind,occurredAt,externalId\nx,kim,inbound,like,2025-01-01T00:00:00Z,k1\n"), "text/csv")
                .post("/v1/imports").then().statusCode(202).extract().path("importId");
        Map<String, Object> job = finished(token, id.longValue());
        assertEquals("done", job.get("state"));
        assertEquals(1, n(job, "created"));

        server.rawAs(token).contentType("application/octet-stream").queryParam("format", "docx").body(new byte[] {1})
                .post("/v1/imports").then().statusCode(400).body("field", equalTo("format"));
        server.rawAs(token).contentType("application/octet-stream").queryParam("format", "csv").body(new byte[0])
                .post("/v1/imports").then().statusCode(400).body("field", equalTo("file"));
        server.as(token).delete("/v1/imports/" + id).then().statusCode(409);
    }

    @Test
    void another_users_import_is_not_found_and_never_listed() {
        String a = server.registerLongLived().accessToken();
        String b = server.registerLongLived().accessToken();
        long id = upload(a, "csv", ImportFiles.text("platform,handle,direction,kind\nx,lee,inbound,like\n"));
        finished(a, id);
        server.as(b).get("/v1/imports/" + id).then().statusCode(404);
        server.as(b).delete("/v1/imports/" + id).then().statusCode(404);
        server.as(b).get("/v1/imports").then().statusCode(200).body("items.size()", equalTo(0));
        server.as(a).get("/v1/imports?limit=1").then().statusCode(200).body("items[0].id", equalTo((int) id));
    }

    @Test
    void a_queued_import_can_be_cancelled() {
        TestServer.Session s = server.registerLongLived();
        long userId = userId(s.email());
        // Owned by a live process (fresh heartbeat) that has not started it yet.
        long id = server.database.jdbi().withHandle(h -> h.createUpdate("""
                        insert into imports (user_id, format, state, size_bytes, owner, created_at) values (:u, 'csv', 'queued', 1, 'elsewhere', now())""")
                .bind("u", userId).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        server.as(s.accessToken()).delete("/v1/imports/" + id).then().statusCode(204);
        server.as(s.accessToken()).get("/v1/imports/" + id).then().body("state", equalTo("cancelled"));
    }

    @Test
    void a_job_left_running_by_a_stopped_process_is_resumed_from_its_stored_progress() throws Exception {
        TestServer.Session s = server.registerLongLived();
        long userId = userId(s.email());
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "imports");
        Files.createDirectories(dir);
        Path file = dir.resolve("upload-test-" + UUID.randomUUID() + ".part");
        StringBuilder csv = new StringBuilder("platform,handle,direction,kind,occurredAt,externalId\n");
        for (int i = 0; i < 2500; i++) csv.append("x,p").append(i % 50).append(",inbound,like,2025-01-01T00:00:00Z,r").append(i).append('\n');
        Files.writeString(file, csv);
        // 1000 entries were committed before the process died: the resumed job must write only the other 1500.
        long id = server.database.jdbi().withHandle(h -> h.createUpdate("""
                        insert into imports (user_id, format, state, file_path, size_bytes, processed, created, owner, heartbeat_at, created_at, started_at)
                        values (:u, 'csv', 'running', :f, 1, 1000, 1000, 'dead', now() - interval '1 hour', now(), now())""")
                .bind("u", userId).bind("f", file.toString()).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        reciprocity.db.Database pool = reciprocity.db.Database.connect(server.database.pool().getJdbcUrl(), "postgres", null, null);
        try (pool; App second = App.start(new reciprocity.Config(0, Path.of(System.getProperty("java.io.tmpdir")), java.util.Optional.empty(),
                java.util.Optional.empty(), true, 0, false, 10, 1_000_000), pool, server.clock, server.keys)) {
            Map<String, Object> job = finished(s.accessToken(), id);
            assertEquals("done", job.get("state"), job.toString());
            assertEquals(2500, n(job, "processed"));
            assertEquals(2500, n(job, "created"));
            long stored = server.database.jdbi().withHandle(h -> h.createQuery("select count(*) from interactions where user_id = :u")
                    .bind("u", userId).mapTo(Long.class).one());
            assertEquals(1500, stored);
        }
        assertTrue(Files.notExists(file));
    }

    static long userId(String email) {
        return server.database.jdbi().withHandle(h -> h.createQuery("select id from users where email_key = lower(:e)")
                .bind("e", email).mapTo(Long.class).one());
    }
}
