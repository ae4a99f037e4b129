package reciprocity.connectors;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reciprocity.Config;
import reciprocity.support.TestServer;

/** Connectors end to end: each remote faked with WireMock from real samples; syncs, cursors, failures, secrecy, isolation. */
class ConnectorApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path SAMPLES = Path.of("src/test/resources/samples");
    static WireMockServer fake;
    static TestServer server;

    @BeforeAll
    static void start() {
        fake = new WireMockServer(wireMockConfig().dynamicPort());
        fake.start();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        server = TestServer.start(c -> c.withConnectors(new Config.Connectors(Optional.of(key), Duration.ofMinutes(15), Duration.ofSeconds(1), true, true)));
    }

    @AfterAll
    static void stop() {
        server.close();
        fake.stop();
    }

    static String sample(String path) {
        try {
            return Files.readString(SAMPLES.resolve(path), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long create(String token, String type, String baseUrl, Map<String, String> credentials) {
        Number id = server.as(token).body(Map.of("type", type, "baseUrl", baseUrl, "credentials", credentials))
                .post("/v1/connectors").then().statusCode(201).extract().path("id");
        return id.longValue();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> connector(String token, long id) {
        return server.as(token).get("/v1/connectors/" + id).then().statusCode(200).extract().as(Map.class);
    }

    /** Moves the clock a second (so each sync has its own time), asks for a sync and waits until it has ended. */
    static Map<String, Object> sync(String token, long id) {
        server.clock.advance(Duration.ofSeconds(1));
        String expected = server.clock.instant().toString();
        server.as(token).post("/v1/connectors/" + id + "/sync").then().statusCode(202);
        for (int i = 0; i < 400; i++) {
            Map<String, Object> c = connector(token, id);
            if (!"syncing".equals(c.get("state")) && c.get("lastSyncAt") != null && Instant.parse((String) c.get("lastSyncAt")).equals(Instant.parse(expected))) {
                return c;
            }
            sleep(25);
        }
        throw new AssertionError("connector " + id + " did not finish a sync: " + connector(token, id));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static long count(Map<String, Object> c, String field) {
        return ((Number) ((Map<String, Object>) c.get("counts")).get(field)).longValue();
    }

    static List<Map<String, Object>> interactions(String token) {
        return server.as(token).get("/v1/interactions?limit=100").then().statusCode(200).extract().path("items");
    }

    // ------------------------------------------------------------------------------------------------ Mastodon

    static void mastodonAccount(String prefix) {
        fake.stubFor(get(urlPathEqualTo(prefix + "/api/v1/accounts/verify_credentials"))
                .willReturn(okJson("{\"id\":\"1\",\"username\":\"me\",\"acct\":\"me\",\"url\":\"https://social.example/@me\"}")));
        fake.stubFor(get(urlPathEqualTo(prefix + "/api/v1/accounts/1/statuses")).willReturn(okJson("[]")));
    }

    static void mastodonNotifications(String prefix, String body) {
        fake.stubFor(get(urlPathEqualTo(prefix + "/api/v1/notifications")).withQueryParam("since_id", absent()).withQueryParam("max_id", absent())
                .willReturn(okJson(body)));
        fake.stubFor(get(urlPathEqualTo(prefix + "/api/v1/notifications")).withQueryParam("max_id", com.github.tomakehurst.wiremock.client.WireMock.matching(".+"))
                .willReturn(okJson("[]")));
        fake.stubFor(get(urlPathEqualTo(prefix + "/api/v1/notifications")).withQueryParam("since_id", com.github.tomakehurst.wiremock.client.WireMock.matching(".+"))
                .willReturn(okJson("[]")));
    }

    /** The real sample (40 mentions) plus a favourite, a reblog and a follow made from its first entry. */
    static String mastodonSample() throws IOException {
        ArrayNode all = (ArrayNode) JSON.readTree(sample("mastodon/mastodon-py-api/GET_api_v1_notifications.mastodon.social.json"));
        String[] types = {"favourite", "reblog", "follow"};
        for (int i = 0; i < types.length; i++) {
            ObjectNode n = all.get(0).deepCopy();
            n.put("id", Long.toString(550622656L + i));
            n.put("type", types[i]);
            if (types[i].equals("follow")) n.putNull("status");
            all.insert(0, n);
        }
        return JSON.writeValueAsString(all);
    }

    @Test
    void a_mastodon_sync_records_notifications_and_replies_and_the_next_sync_sends_since_id_and_creates_nothing_twice() throws IOException {
        String token = server.registerLongLived().accessToken();
        String prefix = "/mastodon-ok";
        mastodonAccount(prefix);
        mastodonNotifications(prefix, mastodonSample());
        fake.stubFor(get(urlPathEqualTo(prefix + "/api/v1/accounts/1/statuses")).withQueryParam("since_id", absent()).willReturn(okJson("""
                [{"id":"900","created_at":"2024-05-01T10:00:00.000Z","in_reply_to_id":"77","in_reply_to_account_id":"99",
                  "url":"https://social.example/@me/900","mentions":[{"id":"99","username":"bob","acct":"bob@other.example","url":"https://other.example/@bob"}]},
                 {"id":"899","created_at":"2024-05-01T09:00:00.000Z","in_reply_to_id":"898","in_reply_to_account_id":"1",
                  "url":"https://social.example/@me/899","mentions":[]},
                 {"id":"898","created_at":"2024-05-01T08:00:00.000Z","in_reply_to_id":null,"in_reply_to_account_id":null,
                  "url":"https://social.example/@me/898","mentions":[]}]""")));
        long id = create(token, "mastodon", fake.baseUrl() + prefix, Map.of("accessToken", "mastodon-secret-token-123"));

        Map<String, Object> first = sync(token, id);
        assertEquals("ok", first.get("state"), first.toString());
        assertEquals("@me@social.example", first.get("account"));
        assertEquals(44, count(first, "created"), first.toString()); // 40 mentions, a like, a share, a follow, one reply
        assertEquals(0, count(first, "errors"));
        List<Map<String, Object>> items = interactions(token);
        assertTrue(items.stream().anyMatch(i -> "like".equals(i.get("kind")) && "inbound".equals(i.get("direction"))));
        assertTrue(items.stream().anyMatch(i -> "share".equals(i.get("kind"))));
        assertTrue(items.stream().anyMatch(i -> "follow".equals(i.get("kind"))));
        assertTrue(items.stream().anyMatch(i -> "reply".equals(i.get("kind")) && "outbound".equals(i.get("direction"))));
        List<Map<String, Object>> identities = server.as(token).get("/v1/me/identities").then().statusCode(200).extract().path("items");
        assertTrue(identities.stream().anyMatch(i -> "me@social.example".equals(i.get("handle"))), identities.toString());
        fake.verify(getRequestedFor(urlPathEqualTo(prefix + "/api/v1/notifications"))
                .withHeader("Authorization", equalTo("Bearer mastodon-secret-token-123")));

        Map<String, Object> second = sync(token, id);
        assertEquals("ok", second.get("state"));
        fake.verify(1, getRequestedFor(urlPathEqualTo(prefix + "/api/v1/notifications")).withQueryParam("since_id", equalTo("550622658")));
        fake.verify(1, getRequestedFor(urlPathEqualTo(prefix + "/api/v1/accounts/1/statuses")).withQueryParam("since_id", equalTo("900")));
        assertEquals(44, count(second, "created"));
    }

    // ------------------------------------------------------------------------------------------------ Bluesky

    @Test
    void a_bluesky_sync_records_notifications_and_replies_and_the_next_sync_stops_at_what_it_has_seen() {
        String token = server.registerLongLived().accessToken();
        String prefix = "/bluesky-ok";
        fake.stubFor(post(urlPathEqualTo(prefix + "/xrpc/com.atproto.server.createSession")).willReturn(okJson("""
                {"accessJwt":"jwt-abc","refreshJwt":"r","handle":"bskyr.bsky.social","did":"did:plc:5c2r73erhng4bszmxlfdtscf"}""")));
        String list = prefix + "/xrpc/app.bsky.notification.listNotifications";
        fake.stubFor(get(urlPathEqualTo(list)).withQueryParam("cursor", absent())
                .willReturn(okJson(sample("bluesky/bskyr/listNotifications.2025-05-19.json"))));
        fake.stubFor(get(urlPathEqualTo(list)).withQueryParam("cursor", equalTo("2024-12-19T06:43:45.863Z"))
                .willReturn(okJson("{\"notifications\":[]}")));
        fake.stubFor(get(urlPathEqualTo(prefix + "/xrpc/app.bsky.feed.getAuthorFeed")).willReturn(okJson("""
                {"feed":[
                  {"post":{"uri":"at://did:plc:5c2r73erhng4bszmxlfdtscf/app.bsky.feed.post/3lreply","author":{"did":"did:plc:5c2r73erhng4bszmxlfdtscf","handle":"bskyr.bsky.social"},
                           "record":{"text":"thanks!","createdAt":"2025-05-18T10:00:00.000Z","reply":{"parent":{"uri":"at://x"},"root":{"uri":"at://x"}}},"indexedAt":"2025-05-18T10:00:01.000Z"},
                   "reply":{"parent":{"author":{"did":"did:plc:wpe35pganb6d4pg4ekmfy6u5","handle":"chriskenny.bsky.social"}}}},
                  {"post":{"uri":"at://did:plc:other/app.bsky.feed.post/3lother","author":{"did":"did:plc:other","handle":"someone.bsky.social"},
                           "record":{"text":"a repost","createdAt":"2025-05-17T10:00:00.000Z"},"indexedAt":"2025-05-17T10:00:01.000Z"},
                   "reason":{"$type":"app.bsky.feed.defs#reasonRepost"}}]}""")));
        long id = create(token, "bluesky", fake.baseUrl() + prefix, Map.of("identifier", "bskyr.bsky.social", "appPassword", "app-pass-xyz-9876"));

        Map<String, Object> first = sync(token, id);
        assertEquals("ok", first.get("state"), first.toString());
        assertEquals("@bskyr.bsky.social", first.get("account"));
        assertEquals(51, count(first, "created"), first.toString()); // 17 follows, 13 likes, 11 mentions, 7 quotes, 2 reposts; one reply
        assertEquals(0, count(first, "errors"));
        fake.verify(getRequestedFor(urlPathEqualTo(list)).withHeader("Authorization", equalTo("Bearer jwt-abc")));
        fake.verify(1, getRequestedFor(urlPathEqualTo(list)).withQueryParam("cursor", equalTo("2024-12-19T06:43:45.863Z")));

        Map<String, Object> second = sync(token, id);
        assertEquals("ok", second.get("state"));
        assertEquals(51, count(second, "created"));
        assertEquals(0, count(second, "duplicates")); // it stopped at the newest notification it had seen
        fake.verify(1, getRequestedFor(urlPathEqualTo(list)).withQueryParam("cursor", equalTo("2024-12-19T06:43:45.863Z")));
        // One login for both syncs: the second reused the session's access token.
        fake.verify(1, postRequestedFor(urlPathEqualTo(prefix + "/xrpc/com.atproto.server.createSession")));
        fake.verify(0, postRequestedFor(urlPathEqualTo(prefix + "/xrpc/com.atproto.server.refreshSession")));
        fake.verify(2, getRequestedFor(urlPathEqualTo(list)).withQueryParam("cursor", absent()).withHeader("Authorization", equalTo("Bearer jwt-abc")));
        byte[] sealed = server.database.jdbi().withHandle(h -> h.createQuery("select credentials from connectors where id = :id")
                .bind("id", id).mapTo(byte[].class).one());
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("jwt-abc"), "the kept session is sealed like the credentials");
    }

    static String blueskySession(String accessJwt, String refreshJwt) {
        return "{\"accessJwt\":\"" + accessJwt + "\",\"refreshJwt\":\"" + refreshJwt
                + "\",\"handle\":\"renew.bsky.social\",\"did\":\"did:plc:renew\",\"active\":true}";
    }

    /** The PDS at {@code prefix} answers the notification and feed reads for this access token. */
    static void blueskyAccepts(String prefix, String accessJwt) {
        fake.stubFor(get(urlPathEqualTo(prefix + "/xrpc/app.bsky.notification.listNotifications"))
                .withHeader("Authorization", equalTo("Bearer " + accessJwt)).willReturn(okJson("{\"notifications\":[]}")));
        fake.stubFor(get(urlPathEqualTo(prefix + "/xrpc/app.bsky.feed.getAuthorFeed"))
                .withHeader("Authorization", equalTo("Bearer " + accessJwt)).willReturn(okJson("{\"feed\":[]}")));
    }

    /** The PDS at {@code prefix} now refuses this access token as expired, with the status given (atproto: 400; some: 401). */
    static void blueskyExpires(String prefix, String accessJwt, int status) {
        for (String path : List.of("/xrpc/app.bsky.notification.listNotifications", "/xrpc/app.bsky.feed.getAuthorFeed")) {
            fake.stubFor(get(urlPathEqualTo(prefix + path)).withHeader("Authorization", equalTo("Bearer " + accessJwt))
                    .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                            .withBody("{\"error\":\"ExpiredToken\",\"message\":\"Token has expired\"}")));
        }
    }

    static void blueskyRevokesRefreshTokens(String prefix) {
        fake.stubFor(post(urlPathEqualTo(prefix + "/xrpc/com.atproto.server.refreshSession")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"ExpiredToken\",\"message\":\"Token has been revoked\"}")));
    }

    @Test
    void an_expired_bluesky_access_token_is_refreshed_once_and_the_new_one_is_used_from_then_on() {
        String token = server.registerLongLived().accessToken();
        String prefix = "/bluesky-expiry";
        String create = prefix + "/xrpc/com.atproto.server.createSession";
        String refresh = prefix + "/xrpc/com.atproto.server.refreshSession";
        fake.stubFor(post(urlPathEqualTo(create)).willReturn(okJson(blueskySession("access-1", "refresh-1"))));
        blueskyRevokesRefreshTokens(prefix);
        fake.stubFor(post(urlPathEqualTo(refresh)).withHeader("Authorization", equalTo("Bearer refresh-1"))
                .willReturn(okJson(blueskySession("access-2", "refresh-2"))));
        blueskyAccepts(prefix, "access-1");
        long id = create(token, "bluesky", fake.baseUrl() + prefix, Map.of("identifier", "renew.bsky.social", "appPassword", "app-pass-renew"));
        Map<String, Object> first = sync(token, id);
        assertEquals("ok", first.get("state"), first.toString());

        blueskyExpires(prefix, "access-1", 400);
        blueskyAccepts(prefix, "access-2");
        Map<String, Object> second = sync(token, id);
        assertEquals("ok", second.get("state"), second.toString());
        assertNull(second.get("lastError"));
        fake.verify(1, postRequestedFor(urlPathEqualTo(refresh)));
        fake.verify(1, postRequestedFor(urlPathEqualTo(refresh)).withHeader("Authorization", equalTo("Bearer refresh-1")));
        fake.verify(1, postRequestedFor(urlPathEqualTo(create)));
        fake.verify(getRequestedFor(urlPathEqualTo(prefix + "/xrpc/app.bsky.feed.getAuthorFeed")).withHeader("Authorization", equalTo("Bearer access-2")));

        Map<String, Object> third = sync(token, id);
        assertEquals("ok", third.get("state"), third.toString());
        fake.verify(1, postRequestedFor(urlPathEqualTo(refresh)));
        fake.verify(1, postRequestedFor(urlPathEqualTo(create)));
        fake.verify(2, getRequestedFor(urlPathEqualTo(prefix + "/xrpc/app.bsky.notification.listNotifications")).withHeader("Authorization", equalTo("Bearer access-2")));
    }

    @Test
    void when_the_bluesky_refresh_is_refused_the_sync_logs_in_again_and_succeeds() {
        String token = server.registerLongLived().accessToken();
        String prefix = "/bluesky-relogin";
        String create = prefix + "/xrpc/com.atproto.server.createSession";
        String refresh = prefix + "/xrpc/com.atproto.server.refreshSession";
        fake.stubFor(post(urlPathEqualTo(create)).willReturn(okJson(blueskySession("access-a", "refresh-a"))));
        blueskyRevokesRefreshTokens(prefix);
        blueskyAccepts(prefix, "access-a");
        long id = create(token, "bluesky", fake.baseUrl() + prefix, Map.of("identifier", "renew.bsky.social", "appPassword", "app-pass-relogin"));
        assertEquals("ok", sync(token, id).get("state"));

        blueskyExpires(prefix, "access-a", 401);
        fake.stubFor(post(urlPathEqualTo(create)).willReturn(okJson(blueskySession("access-b", "refresh-b"))));
        blueskyAccepts(prefix, "access-b");
        Map<String, Object> second = sync(token, id);
        assertEquals("ok", second.get("state"), second.toString());
        fake.verify(1, postRequestedFor(urlPathEqualTo(refresh)).withHeader("Authorization", equalTo("Bearer refresh-a")));
        fake.verify(2, postRequestedFor(urlPathEqualTo(create)));
        fake.verify(postRequestedFor(urlPathEqualTo(create)).withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.equalToJson("{\"identifier\":\"renew.bsky.social\",\"password\":\"app-pass-relogin\"}")));
        fake.verify(getRequestedFor(urlPathEqualTo(prefix + "/xrpc/app.bsky.notification.listNotifications")).withHeader("Authorization", equalTo("Bearer access-b")));

        assertEquals("ok", sync(token, id).get("state"));
        fake.verify(2, postRequestedFor(urlPathEqualTo(create)));
        fake.verify(1, postRequestedFor(urlPathEqualTo(refresh)));
    }

    // ------------------------------------------------------------------------------------------------ GitHub

    @Test
    void a_github_sync_records_mentions_and_my_comments_and_the_next_sync_sends_since() throws IOException {
        String token = server.registerLongLived().accessToken();
        String prefix = "/github-ok";
        String base = fake.baseUrl() + prefix;
        fake.stubFor(get(urlPathEqualTo(prefix + "/user")).willReturn(okJson("{\"login\":\"Me-Dev\",\"id\":1}")));
        ArrayNode threads = (ArrayNode) JSON.readTree(sample("github/octokit-rb/GET_repos_owner_repo_notifications_all.2014.json")
                .replace("https://api.github.com", base).replace("<GITHUB_LOGIN>", "me-dev").replace("<GITHUB_TEST_REPOSITORY>", "proj"));
        ((ObjectNode) threads.get(0)).put("reason", "mention");
        fake.stubFor(get(urlPathEqualTo(prefix + "/notifications")).withQueryParam("since", absent()).willReturn(okJson(JSON.writeValueAsString(threads))));
        fake.stubFor(get(urlPathEqualTo(prefix + "/notifications")).withQueryParam("since", equalTo("2014-03-07T18:57:41Z")).willReturn(okJson("[]")));
        fake.stubFor(get(urlPathEqualTo(prefix + "/repos/me-dev/proj/issues/10")).willReturn(okJson("""
                {"id":10,"user":{"login":"octocat"},"created_at":"2014-03-07T18:50:00Z","html_url":"https://github.com/me-dev/proj/issues/10"}""")));
        fake.stubFor(get(urlPathEqualTo(prefix + "/users/Me-Dev/events")).willReturn(okJson("""
                [{"id":"1","type":"IssueCommentEvent","created_at":"2014-03-08T10:00:00Z",
                  "payload":{"action":"created","issue":{"user":{"login":"alice"},"html_url":"https://github.com/alice/x/issues/1"},
                             "comment":{"id":555,"html_url":"https://github.com/alice/x/issues/1#issuecomment-555","created_at":"2014-03-08T10:00:00Z","user":{"login":"Me-Dev"}}}},
                 {"id":"2","type":"IssueCommentEvent","created_at":"2014-03-08T09:00:00Z",
                  "payload":{"action":"created","issue":{"user":{"login":"me-dev"}},"comment":{"id":554,"created_at":"2014-03-08T09:00:00Z"}}}]""")));
        long id = create(token, "github", base, Map.of("token", "ghp_secretgithubtoken000"));

        Map<String, Object> first = sync(token, id);
        assertEquals("ok", first.get("state"), first.toString());
        assertEquals(2, count(first, "created"), first.toString());
        List<Map<String, Object>> items = interactions(token);
        assertTrue(items.stream().anyMatch(i -> "mention".equals(i.get("kind")) && "inbound".equals(i.get("direction"))), items.toString());
        assertTrue(items.stream().anyMatch(i -> "comment".equals(i.get("kind")) && "outbound".equals(i.get("direction"))), items.toString());

        Map<String, Object> second = sync(token, id);
        assertEquals("ok", second.get("state"), second.toString());
        fake.verify(1, getRequestedFor(urlPathEqualTo(prefix + "/notifications")).withQueryParam("since", equalTo("2014-03-07T18:57:41Z")));
        assertEquals(2, count(second, "created"));
    }

    // ------------------------------------------------------------------------------------------------ failures

    @Test
    void remote_failures_show_on_the_connector_and_the_next_sync_still_runs_while_another_users_connector_keeps_syncing() throws IOException {
        String token = server.registerLongLived().accessToken();
        String other = server.registerLongLived().accessToken();
        String prefix = "/mastodon-flaky";
        String healthy = "/mastodon-healthy";
        mastodonAccount(healthy);
        mastodonNotifications(healthy, "[]");
        long otherId = create(other, "mastodon", fake.baseUrl() + healthy, Map.of("accessToken", "other-token"));
        long id = create(token, "mastodon", fake.baseUrl() + prefix, Map.of("accessToken", "flaky-token"));
        mastodonNotifications(prefix, "[]");
        fake.stubFor(get(urlPathEqualTo(prefix + "/api/v1/accounts/1/statuses")).willReturn(okJson("[]")));
        String verify = prefix + "/api/v1/accounts/verify_credentials";
        String ok = "{\"id\":\"1\",\"acct\":\"me\",\"url\":\"https://social.example/@me\"}";

        fake.stubFor(get(urlPathEqualTo(verify)).willReturn(aResponse().withStatus(401).withBody("{\"error\":\"The access token is invalid\"}")));
        Map<String, Object> c = sync(token, id);
        assertEquals("error", c.get("state"));
        assertTrue(((String) c.get("lastError")).contains("401"), c.toString());
        assertEquals("ok", sync(other, otherId).get("state"));

        fake.stubFor(get(urlPathEqualTo(verify)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")));
        c = sync(token, id);
        assertEquals("backoff", c.get("state"));
        assertTrue(((String) c.get("lastError")).contains("429"), c.toString());
        Instant last = Instant.parse((String) c.get("lastSyncAt"));
        assertFalse(Instant.parse((String) c.get("nextSyncAt")).isBefore(last.plusSeconds(3600)), c.toString());
        // Inside the Retry-After window a sync asked for waits: no request goes out.
        int before = fake.findAll(getRequestedFor(urlPathEqualTo(verify))).size();
        server.as(token).post("/v1/connectors/" + id + "/sync").then().statusCode(202);
        sleep(300);
        assertEquals(before, fake.findAll(getRequestedFor(urlPathEqualTo(verify))).size());
        assertEquals("backoff", connector(token, id).get("state"));
        server.clock.advance(Duration.ofSeconds(3600));
        assertEquals("ok", sync(other, otherId).get("state"));

        fake.stubFor(get(urlPathEqualTo(verify)).willReturn(aResponse().withStatus(500).withBody("oops")));
        c = sync(token, id);
        assertEquals("backoff", c.get("state"));
        assertTrue(((String) c.get("lastError")).contains("500"), c.toString());

        fake.stubFor(get(urlPathEqualTo(verify)).willReturn(okJson(ok).withFixedDelay(3000)));
        c = sync(token, id);
        assertEquals("backoff", c.get("state"));
        assertTrue(((String) c.get("lastError")).contains("did not answer"), c.toString());
        assertEquals("ok", sync(other, otherId).get("state"));

        fake.stubFor(get(urlPathEqualTo(verify)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"id\": \"1\", ")));
        c = sync(token, id);
        assertEquals("error", c.get("state"));
        assertTrue(((String) c.get("lastError")).contains("not JSON"), c.toString());

        fake.stubFor(get(urlPathEqualTo(verify)).willReturn(okJson(ok)));
        c = sync(token, id);
        assertEquals("ok", c.get("state"), c.toString());
        assertNull(c.get("lastError"));
        assertNotNull(c.get("lastSuccessAt"));
        assertEquals("ok", connector(other, otherId).get("state"));
    }

    // ------------------------------------------------------------------------------------------------ secrecy and isolation

    @Test
    void credentials_are_stored_encrypted_and_never_appear_in_any_response() throws IOException {
        String token = server.registerLongLived().accessToken();
        String secret = "very-secret-token-do-not-leak-42";
        String body = server.as(token).body(Map.of("type", "mastodon", "baseUrl", fake.baseUrl() + "/nowhere", "credentials", Map.of("accessToken", secret)))
                .post("/v1/connectors").then().statusCode(201).extract().asString();
        assertFalse(body.contains(secret));
        long id = ((Number) JSON.readTree(body).get("id").numberValue()).longValue();
        assertFalse(server.as(token).get("/v1/connectors/" + id).then().statusCode(200).extract().asString().contains(secret));
        assertFalse(server.as(token).get("/v1/connectors").then().statusCode(200).extract().asString().contains(secret));
        assertFalse(server.as(token).post("/v1/connectors/" + id + "/sync").then().statusCode(202).extract().asString().contains(secret));
        byte[] raw = server.database.jdbi().withHandle(h -> h.createQuery("select credentials from connectors where id = :id")
                .bind("id", id).mapTo(byte[].class).one());
        String asText = new String(raw, StandardCharsets.ISO_8859_1);
        assertFalse(asText.contains(secret));
        assertFalse(asText.contains("accessToken"));
        assertTrue(raw.length >= 12 + 16 + secret.length(), "nonce, ciphertext and tag");
    }

    @Test
    void another_users_connector_is_a_404_for_get_sync_and_delete() {
        String owner = server.registerLongLived().accessToken();
        String stranger = server.registerLongLived().accessToken();
        long id = create(owner, "github", fake.baseUrl() + "/gh-private", Map.of("token", "t"));
        server.as(stranger).get("/v1/connectors/" + id).then().statusCode(404);
        server.as(stranger).post("/v1/connectors/" + id + "/sync").then().statusCode(404);
        server.as(stranger).delete("/v1/connectors/" + id).then().statusCode(404);
        List<?> items = server.as(stranger).get("/v1/connectors").then().statusCode(200).extract().path("items");
        assertTrue(items.isEmpty());
        server.as(owner).delete("/v1/connectors/" + id).then().statusCode(204);
        server.as(owner).get("/v1/connectors/" + id).then().statusCode(404);
    }

    @Test
    void a_connector_with_missing_or_foreign_credentials_or_a_malformed_url_is_a_400() {
        String token = server.registerLongLived().accessToken();
        server.rawAs(token).body(Map.of("type", "mastodon", "credentials", Map.of("accessToken", "x"))).post("/v1/connectors").then().statusCode(400);
        server.rawAs(token).body(Map.of("type", "bluesky", "credentials", Map.of("identifier", "a.bsky.social"))).post("/v1/connectors").then().statusCode(400);
        server.rawAs(token).body(Map.of("type", "github", "credentials", Map.of("token", "x", "extra", "y"))).post("/v1/connectors").then().statusCode(400);
        server.rawAs(token).body(Map.of("type", "myspace", "credentials", Map.of("token", "x"))).post("/v1/connectors").then().statusCode(400);
        server.rawAs(token).body(Map.of("type", "mastodon", "baseUrl", "https://example.org/?q=1", "credentials", Map.of("accessToken", "x")))
                .post("/v1/connectors").then().statusCode(400);
        server.rawAs(token).body(Map.of("type", "mastodon", "baseUrl", "https://exa mple.org", "credentials", Map.of("accessToken", "x")))
                .post("/v1/connectors").then().statusCode(400);
    }
}
