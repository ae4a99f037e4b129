package reciprocity.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reciprocity.Config;
import reciprocity.auth.SigningKeys;
import reciprocity.db.Database;
import reciprocity.support.MutableClock;
import reciprocity.support.TestServer;

/**
 * A write load while PostgreSQL is restarted three times and the app's backends are killed: clients retry on 503,
 * 409 and timeouts with the same Idempotency-Key, and afterwards every acknowledged key exists exactly once.
 */
class FaultTest {
    static final int CLIENTS = 4;
    static final int KEYS_PER_CLIENT = 60;

    @Test
    void no_acknowledged_write_is_lost_or_doubled_across_restarts_and_killed_backends(@TempDir Path dir) throws Exception {
        EmbeddedPostgres[] pg = {Database.startEmbedded(dir.resolve("data"))};
        int port = pg[0].getPort();
        String jdbc = pg[0].getJdbcUrl("postgres", "postgres");
        Config config = new Config(0, dir, Optional.empty(), Optional.empty(), true, 0, false, 10, 1000);
        Database db = Database.connect(jdbc, "postgres", null, null);
        try (TestServer server = TestServer.start(config, SigningKeys.random(), db, MutableClock.atNow())) {
            String token = server.registerLongLived().accessToken();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            java.util.concurrent.atomic.AtomicBoolean chaosDone = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger retries = new java.util.concurrent.atomic.AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    // Keep writing until the faults are over, so the load spans all of them.
                    for (int i = 0; i < KEYS_PER_CLIENT || !chaosDone.get(); i++) {
                        String key = "fault-" + client + "-" + i;
                        String body = "{\"person\":{\"platform\":\"x\",\"handle\":\"p" + (i % 7) + "\"},\"direction\":\"inbound\","
                                + "\"kind\":\"comment\",\"note\":\"" + key + "\"}";
                        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                        while (true) {
                            assertTrue(System.nanoTime() < deadline, key + " was never acknowledged");
                            try {
                                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/interactions"))
                                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                                        .header("Authorization", "Bearer " + token).header("Idempotency-Key", key)
                                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                                if (r.statusCode() == 201 || r.statusCode() == 200) {
                                    acknowledged.add(key);
                                    break;
                                }
                                assertTrue(r.statusCode() == 503 || r.statusCode() == 409, key + " got " + r.statusCode() + ": " + r.body());
                            } catch (java.io.IOException e) {
                                // a timeout or a dropped connection: retry with the same key
                            }
                            retries.incrementAndGet();
                            Thread.sleep(50);
                        }
                        Thread.sleep(10);
                    }
                    return null;
                }));
            }
            List<Long> recoveries = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                Thread.sleep(700);
                try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement s = c.createStatement()) {
                    s.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()");
                }
                Thread.sleep(500);
                pg[0].close();
                assertEquals(503, status(http, server.baseUrl() + "/health/ready"), "readiness while the database is down");
                Thread.sleep(800);
                pg[0] = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("data")).setCleanDataDirectory(false).setPort(port).start();
                long back = System.nanoTime();
                while (status(http, server.baseUrl() + "/health/ready") != 200) {
                    assertTrue(System.nanoTime() - back < Duration.ofSeconds(5).toNanos(), "not ready 5 s after the database returned");
                    Thread.sleep(50);
                }
                recoveries.add((System.nanoTime() - back) / 1_000_000);
            }
            chaosDone.set(true);
            for (Future<?> f : clients) f.get();
            pool.shutdown();
            System.out.println("recovered after database restarts in " + recoveries + " ms; " + acknowledged.size()
                    + " writes acknowledged after " + retries.get() + " retries");
            assertTrue(retries.get() > 0, "the load never met a fault, so the test proved nothing");
            assertTrue(acknowledged.size() >= CLIENTS * KEYS_PER_CLIENT);
            try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement s = c.createStatement()) {
                var rs = s.executeQuery("select note, count(*) from interactions group by note");
                Set<String> stored = new HashSet<>();
                while (rs.next()) {
                    assertEquals(1, rs.getInt(2), rs.getString(1) + " was stored more than once");
                    stored.add(rs.getString(1));
                }
                assertEquals(acknowledged, stored);
                var keys = s.executeQuery("select count(*) from idempotency_keys");
                keys.next();
                assertEquals(acknowledged.size(), keys.getInt(1));
            }
        } finally {
            pg[0].close();
        }
    }

    private static int status(HttpClient http, String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(8)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
