package reciprocity.system;

import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import reciprocity.Config;
import reciprocity.auth.SigningKeys;
import reciprocity.db.Database;
import reciprocity.support.JwtAttacks;
import reciprocity.support.MutableClock;
import reciprocity.support.TestDatabases;
import reciprocity.support.TestServer;

/**
 * Two server instances on one database, as behind a load balancer: sign-in throttles, registration and per-user rate
 * limits, refresh-token reuse detection and idempotency hold across both, and both refuse the JWT attack set.
 */
class TwoNodesTest {
    static final int RATE_LIMIT = 20;
    static final int LOGIN_ATTEMPTS = 3;
    static final int LOGIN_ATTEMPTS_PER_ADDRESS = LOGIN_ATTEMPTS * 5;
    static final int REGISTRATIONS = 4;
    static final String PASSWORD = "correct horse battery staple";
    static final AtomicInteger ADDRESSES = new AtomicInteger();

    static TestServer a;
    static TestServer b;

    @BeforeAll
    static void start() {
        // Each node derives its signing key from the same JWT_SECRET, as separate processes would; the proxy's
        // X-Forwarded-For is trusted so each test signs in from addresses of its own.
        Config config = new Config(0, Path.of(System.getProperty("java.io.tmpdir")), Optional.empty(),
                Optional.of("a shared JWT secret of at least thirty-two bytes"), true, RATE_LIMIT, true, LOGIN_ATTEMPTS, REGISTRATIONS);
        MutableClock clock = MutableClock.atNow();
        Database first = TestDatabases.fresh();
        a = TestServer.start(config, SigningKeys.load(config.jwtSecret(), config.home()), first, clock);
        Database second = Database.connect(first.pool().getJdbcUrl(), "postgres", null, null);
        b = TestServer.start(config, SigningKeys.load(config.jwtSecret(), config.home()), second, clock);
    }

    @AfterAll
    static void stop() {
        if (b != null) b.close();
        if (a != null) a.close();
    }

    /** A client address no other test uses. */
    static String newAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "10.0." + (n / 250) + "." + (n % 250 + 1);
    }

    static TestServer node(int i) {
        return i % 2 == 0 ? a : b;
    }

    static Response register(TestServer node, String address, String email) {
        return node.api().header("X-Forwarded-For", address)
                .body(Map.of("email", email, "password", PASSWORD, "displayName", "Two Nodes"))
                .post("/v1/auth/register");
    }

    /** A new account registered through {@code node} from an address of its own: its email and first token pair. */
    static TestServer.Session registerOn(TestServer node) {
        String email = "n" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
        Response r = register(node, newAddress(), email);
        r.then().statusCode(201);
        return new TestServer.Session(email, PASSWORD, r.path("accessToken"), r.path("refreshToken"));
    }

    static Response login(TestServer node, String address, String email, String password) {
        return node.api().header("X-Forwarded-For", address).body(Map.of("email", email, "password", password))
                .post("/v1/auth/login");
    }

    static int me(TestServer node, String token) {
        return node.raw().header("Authorization", "Bearer " + token).get("/v1/me").statusCode();
    }

    static long userId(TestServer node, String token) {
        return ((Number) node.as(token).get("/v1/me").path("id")).longValue();
    }

    @Test
    void failed_sign_ins_for_one_account_on_both_nodes_count_together() {
        TestServer.Session s = registerOn(a);
        // Each node sees fewer failures than the limit; together they reach it.
        for (int i = 0; i < LOGIN_ATTEMPTS; i++) {
            login(node(i), newAddress(), s.email(), "wrong password " + i).then().statusCode(401);
        }
        login(b, newAddress(), s.email(), s.password()).then().statusCode(429).header("Retry-After", notNullValue());
        login(a, newAddress(), s.email(), s.password()).then().statusCode(429).header("Retry-After", notNullValue());
    }

    @Test
    void parallel_guesses_at_one_account_on_both_nodes_get_no_more_password_checks_than_the_limit() throws Exception {
        TestServer.Session s = registerOn(a);
        int guesses = 8;
        ExecutorService pool = Executors.newFixedThreadPool(guesses);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < guesses; i++) {
                TestServer node = node(i);
                String guess = "wrong password " + i;
                statuses.add(pool.submit(() -> login(node, newAddress(), s.email(), guess).statusCode()));
            }
            int checked = 0;
            int refused = 0;
            for (Future<Integer> f : statuses) {
                int status = f.get();
                if (status == 401) checked++;
                if (status == 429) refused++;
            }
            assertEquals(LOGIN_ATTEMPTS, checked, "guesses whose password was checked");
            assertEquals(guesses - LOGIN_ATTEMPTS, refused, "guesses refused with 429");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void failed_sign_ins_from_one_address_across_accounts_on_both_nodes_count_together() {
        String address = newAddress();
        for (int i = 0; i < LOGIN_ATTEMPTS_PER_ADDRESS; i++) {
            login(node(i), address, "nobody" + i + "-" + address + "@example.com", "wrong password").then().statusCode(401);
        }
        for (TestServer node : List.of(a, b)) {
            login(node, address, "somebody-else@example.com", "wrong password").then().statusCode(429)
                    .header("Retry-After", notNullValue());
        }
        // Another address is not held back.
        login(a, newAddress(), "somebody-else@example.com", "wrong password").then().statusCode(401);
    }

    @Test
    void registrations_from_one_address_on_both_nodes_count_together() {
        String address = newAddress();
        for (int i = 0; i < REGISTRATIONS; i++) {
            register(node(i), address, "r" + i + "-" + UUID.randomUUID() + "@example.com").then().statusCode(201);
        }
        for (TestServer node : List.of(a, b)) {
            register(node, address, "one-more-" + UUID.randomUUID() + "@example.com").then().statusCode(429)
                    .header("Retry-After", notNullValue());
        }
    }

    @Test
    void a_refresh_token_spent_on_one_node_and_replayed_on_the_other_revokes_the_family_on_both() {
        TestServer.Session s = registerOn(a);
        Response rotated = a.api().body(Map.of("refreshToken", s.refreshToken())).post("/v1/auth/refresh");
        rotated.then().statusCode(200);
        String next = rotated.path("refreshToken");
        assertNotEquals(s.refreshToken(), next);
        // The thief replays the spent token on the other node: refused, and the owner's current token dies with it.
        b.api().body(Map.of("refreshToken", s.refreshToken())).post("/v1/auth/refresh").then().statusCode(401);
        a.api().body(Map.of("refreshToken", next)).post("/v1/auth/refresh").then().statusCode(401);
        b.api().body(Map.of("refreshToken", next)).post("/v1/auth/refresh").then().statusCode(401);
    }

    @Test
    void concurrent_refreshes_of_one_token_on_both_nodes_succeed_at_most_once() throws Exception {
        TestServer.Session s = registerOn(a);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                TestServer node = node(i);
                statuses.add(pool.submit(() -> node.api().body(Map.of("refreshToken", s.refreshToken()))
                        .post("/v1/auth/refresh").statusCode()));
            }
            int ok = 0;
            for (Future<Integer> f : statuses) {
                int status = f.get();
                assertTrue(status == 200 || status == 401, "status " + status);
                if (status == 200) ok++;
            }
            assertTrue(ok <= 1, ok + " refreshes succeeded");
        } finally {
            pool.shutdownNow();
        }
    }

    static Map<String, Object> interaction(String url) {
        return Map.of("person", Map.of("url", url), "direction", "inbound", "kind", "comment");
    }

    @Test
    void one_idempotency_key_sent_to_one_node_then_the_other_records_one_interaction_and_replays_the_answer() {
        TestServer.Session s = registerOn(a);
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = interaction("https://x.com/retry_me");
        Response first = a.as(s.accessToken()).header("Idempotency-Key", key).body(body).post("/v1/interactions");
        first.then().statusCode(201);
        Response again = b.as(s.accessToken()).header("Idempotency-Key", key).body(body).post("/v1/interactions");
        assertEquals(201, again.statusCode());
        assertEquals(first.asString(), again.asString(), "node B answers with the response node A stored");
        b.as(s.accessToken()).get("/v1/interactions").then().statusCode(200).body("items", hasSize(1));
        a.as(s.accessToken()).get("/v1/interactions").then().statusCode(200).body("items", hasSize(1));
    }

    @Test
    void one_idempotency_key_sent_to_both_nodes_at_once_records_one_interaction() throws Exception {
        TestServer.Session s = registerOn(a);
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = interaction("https://x.com/at_once");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (TestServer node : List.of(a, b)) {
                // Either may win; the other waits for nothing: it replays the stored answer or says "in progress".
                answers.add(pool.submit(() -> node.rawAs(s.accessToken()).header("Idempotency-Key", key).body(body)
                        .post("/v1/interactions")));
            }
            int created = 0;
            for (Future<Response> f : answers) {
                int status = f.get().statusCode();
                assertTrue(status == 201 || status == 409, "status " + status);
                if (status == 201) created++;
            }
            assertTrue(created >= 1, "no node recorded the interaction");
        } finally {
            pool.shutdownNow();
        }
        a.as(s.accessToken()).get("/v1/interactions").then().statusCode(200).body("items", hasSize(1));
    }

    @Test
    void the_per_user_rate_limit_is_one_budget_across_both_nodes() {
        TestServer.Session s = registerOn(a);
        TestServer.Session other = registerOn(b);
        for (int i = 0; i < RATE_LIMIT; i++) {
            assertEquals(200, me(node(i), s.accessToken()), "request " + (i + 1) + " of " + RATE_LIMIT);
        }
        for (TestServer node : List.of(a, b)) {
            node.as(s.accessToken()).get("/v1/me").then().statusCode(429).header("Retry-After", notNullValue());
        }
        assertEquals(200, me(a, other.accessToken()));
        assertEquals(200, me(b, other.accessToken()));
    }

    @Test
    void a_token_minted_by_one_node_is_accepted_by_the_other() {
        TestServer.Session s = registerOn(a);
        assertEquals(200, me(b, s.accessToken()));
        Response fromB = login(b, newAddress(), s.email(), s.password());
        fromB.then().statusCode(200);
        assertEquals(200, me(a, fromB.path("accessToken")));
        Response refreshedOnB = b.api().body(Map.of("refreshToken", s.refreshToken())).post("/v1/auth/refresh");
        refreshedOnB.then().statusCode(200);
        assertEquals(200, me(a, refreshedOnB.path("accessToken")));
        a.api().body(Map.of("refreshToken", refreshedOnB.path("refreshToken"))).post("/v1/auth/refresh").then().statusCode(200);
    }

    @TestFactory
    Stream<DynamicTest> both_nodes_refuse_the_jwt_attack_set() {
        TestServer.Session s = registerOn(a);
        TestServer.Session other = registerOn(b);
        long id = userId(a, s.accessToken());
        long otherId = userId(b, other.accessToken());
        // The control: a token forged with the shared key is good on both, so each refusal below is for its own reason.
        String control = JwtAttacks.valid(a.keys, a.clock.instant(), id);
        Stream<DynamicTest> controls = Stream.of(a, b).map(node -> dynamicTest(
                "a correctly signed token is accepted by node " + name(node), () -> assertEquals(200, me(node, control))));
        Stream<DynamicTest> attacks = JwtAttacks.forged(a.keys, a.clock.instant(), id, otherId, s.refreshToken()).stream()
                .flatMap(attack -> Stream.of(a, b).map(node -> dynamicTest(attack.name() + " is refused by node " + name(node),
                        () -> assertEquals(401, me(node, attack.token()), attack.name() + " on node " + name(node)))));
        return Stream.concat(controls, attacks);
    }

    private static String name(TestServer node) {
        return node == a ? "A" : "B";
    }

    @Test
    void a_token_minted_by_one_node_expires_on_both() {
        TestServer.Session s = registerOn(a);
        assertEquals(200, me(b, s.accessToken()));
        a.clock.advance(Duration.ofMinutes(16));
        try {
            assertEquals(401, me(a, s.accessToken()));
            assertEquals(401, me(b, s.accessToken()));
        } finally {
            a.clock.advance(Duration.ofMinutes(-16));
        }
    }

    @Test
    void after_a_password_change_on_one_node_the_other_refuses_older_tokens_and_accepts_the_new_one() {
        TestServer.Session s = registerOn(a);
        Response changed = a.as(s.accessToken()).body(Map.of("currentPassword", s.password(), "newPassword", "a brand new passphrase"))
                .post("/v1/me/password");
        changed.then().statusCode(200);
        assertEquals(401, me(b, s.accessToken()));
        assertEquals(200, me(b, changed.path("accessToken")));
        b.api().body(Map.of("refreshToken", s.refreshToken())).post("/v1/auth/refresh").then().statusCode(401);
    }

    @Test
    void the_token_of_a_deleted_account_is_refused_by_both_nodes() throws InterruptedException {
        TestServer.Session s = registerOn(a);
        // Both nodes have checked (and cached) the token before the account goes.
        assertEquals(200, me(a, s.accessToken()));
        assertEquals(200, me(b, s.accessToken()));
        a.as(s.accessToken()).delete("/v1/me").then().statusCode(204);
        assertEquals(401, me(a, s.accessToken()));
        // Node B drops its cached copy when the database's notification arrives; it must come, however slow the machine.
        int status = me(b, s.accessToken());
        for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos(); status == 200 && System.nanoTime() < deadline; ) {
            Thread.sleep(20);
            status = me(b, s.accessToken());
        }
        assertEquals(401, status, "node B still accepts the token of an account deleted through node A");
        b.api().body(Map.of("refreshToken", s.refreshToken())).post("/v1/auth/refresh").then().statusCode(401);
    }
}
