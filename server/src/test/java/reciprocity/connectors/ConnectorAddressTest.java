package reciprocity.connectors;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
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

/**
 * The SSRF guard with CONNECTOR_ALLOW_PRIVATE_NETWORKS off (the default): a base URL that reaches the server's own
 * network is refused at create time, and a host that resolves to such an address later is refused when a sync connects.
 */
class ConnectorAddressTest {
    static WireMockServer fake;
    static TestServer server;

    @BeforeAll
    static void start() {
        fake = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        fake.start();
        fake.stubFor(get(anyUrl()).willReturn(okJson("{\"id\":\"1\",\"acct\":\"me\",\"url\":\"https://social.example/@me\"}")));
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        // Plain http is allowed so that each URL below is refused for where it points, not for its scheme.
        server = TestServer.start(c -> c.withConnectors(new Config.Connectors(Optional.of(key), Duration.ofMinutes(15), Duration.ofSeconds(1), true, false)));
    }

    @AfterAll
    static void stop() {
        server.close();
        fake.stop();
    }

    static final List<String> PRIVATE = List.of(
            "http://127.0.0.1:%d", "http://127.0.0.1:%d/mastodon", "http://127.9.9.9", "http://localhost:%d", "http://LocalHost:%d",
            "http://10.0.0.5", "http://172.16.3.4", "http://192.168.1.1", "http://100.64.0.1", "http://0.0.0.0:%d",
            "http://169.254.169.254/latest/meta-data", "http://224.0.0.1",
            "http://[::1]:%d", "http://[::ffff:127.0.0.1]:%d", "http://[::ffff:a9fe:a9fe]", "http://[::]:%d",
            "http://[fc00::1]", "http://[fd12:3456::1]", "http://[fe80::1]", "http://[64:ff9b::a00:1]",
            "http://2130706433:%d/", "http://2852039166/");

    @Test
    void a_base_url_that_points_at_a_private_network_address_is_a_422_naming_the_field_and_nothing_is_stored() {
        String token = server.registerLongLived().accessToken();
        for (String pattern : PRIVATE) {
            String url = pattern.contains("%d") ? String.format(pattern, fake.port()) : pattern;
            server.as(token).body(Map.of("type", "mastodon", "baseUrl", url, "credentials", Map.of("accessToken", "x")))
                    .post("/v1/connectors").then().statusCode(422).contentType("application/problem+json")
                    .body("field", org.hamcrest.Matchers.equalTo("baseUrl"))
                    .body("detail", containsString("baseUrl points at a private network address"))
                    .body("detail", containsString("connectors may only reach public servers"));
        }
        assertNothingStored(token);
        assertEquals(0, fake.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void a_base_url_with_another_scheme_or_credentials_in_it_is_a_422_and_nothing_is_stored() {
        String token = server.registerLongLived().accessToken();
        for (String url : List.of("file:///etc/passwd", "gopher://example.org:70/_stats", "ftp://example.org", "jar:file:/x.jar!/",
                "http://user:pass@example.org", "http://example.org@127.0.0.1", "https://token@mastodon.social")) {
            server.as(token).body(Map.of("type", "mastodon", "baseUrl", url, "credentials", Map.of("accessToken", "x")))
                    .post("/v1/connectors").then().statusCode(422).contentType("application/problem+json")
                    .body("field", org.hamcrest.Matchers.equalTo("baseUrl"));
        }
        assertNothingStored(token);
    }

    @Test
    void a_host_that_resolves_to_a_private_address_by_sync_time_fails_that_sync_with_the_reason_and_the_loop_goes_on() {
        String token = server.registerLongLived().accessToken();
        String other = server.registerLongLived().accessToken();
        // `.example` never resolves, so both are accepted; a public name that is rebound later looks the same to create.
        long id = create(token, "https://rebound.example");
        long otherId = create(other, "https://elsewhere.example");
        // The name now resolves to loopback: that is what the row says from here on.
        server.database.jdbi().useHandle(h -> h.createUpdate("update connectors set base_url = :b where id = :id")
                .bind("b", "http://localhost:" + fake.port()).bind("id", id).execute());

        Map<String, Object> c = sync(token, id);
        assertEquals("error", c.get("state"), c.toString());
        String why = (String) c.get("lastError");
        assertTrue(why.contains("localhost points at a private network address (loopback)"), why);
        assertTrue(why.contains("connectors may only reach public servers"), why);
        assertEquals(0, fake.findAll(anyRequestedFor(anyUrl())).size(), "no request may reach the private address");

        Map<String, Object> o = sync(other, otherId);
        assertEquals("backoff", o.get("state"), o.toString());
        assertTrue(((String) o.get("lastError")).contains("Could not resolve elsewhere.example"), o.toString());
        Map<String, Object> again = sync(token, id);
        assertEquals("error", again.get("state"), again.toString());
        assertEquals(0, fake.findAll(anyRequestedFor(anyUrl())).size());
    }

    static void assertNothingStored(String token) {
        List<?> items = server.as(token).get("/v1/connectors").then().statusCode(200).extract().path("items");
        assertTrue(items.isEmpty(), items.toString());
        long userId = ((Number) server.as(token).get("/v1/me").then().statusCode(200).extract().path("id")).longValue();
        long rows = server.database.jdbi().withHandle(h -> h.createQuery("select count(*) from connectors where user_id = :u")
                .bind("u", userId).mapTo(Long.class).one());
        assertEquals(0, rows);
    }

    static long create(String token, String baseUrl) {
        Number id = server.as(token).body(Map.of("type", "mastodon", "baseUrl", baseUrl, "credentials", Map.of("accessToken", "x")))
                .post("/v1/connectors").then().statusCode(201).extract().path("id");
        return id.longValue();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> sync(String token, long id) {
        server.clock.advance(Duration.ofSeconds(1));
        Instant expected = server.clock.instant();
        server.as(token).post("/v1/connectors/" + id + "/sync").then().statusCode(202);
        for (int i = 0; i < 400; i++) {
            Map<String, Object> c = server.as(token).get("/v1/connectors/" + id).then().statusCode(200).extract().as(Map.class);
            if (!"syncing".equals(c.get("state")) && c.get("lastSyncAt") != null && Instant.parse((String) c.get("lastSyncAt")).equals(expected)) {
                return c;
            }
            ConnectorApiTest.sleep(25);
        }
        throw new AssertionError("connector " + id + " did not finish a sync");
    }
}
