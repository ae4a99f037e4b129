package reciprocity.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reciprocity.db.Database;
import reciprocity.support.MutableClock;
import reciprocity.support.TestDatabases;
import reciprocity.web.ApiProblem;

/** The shared buckets on a real database, with two {@link Throttles} standing for two server processes. */
class ThrottleTest {
    static Database database;
    static MutableClock clock;
    static Throttles processA;
    static Throttles processB;

    @BeforeAll
    static void start() {
        database = TestDatabases.fresh();
        clock = MutableClock.atNow();
        processA = new Throttles(database.jdbi(), clock);
        processB = new Throttles(database.jdbi(), clock);
    }

    @AfterAll
    static void stop() {
        processA.close();
        processB.close();
        database.close();
    }

    private static int retryAfter(Runnable r) {
        ApiProblem p = assertThrows(ApiProblem.class, r::run);
        assertEquals(429, p.status());
        return Integer.parseInt(p.headers().get("Retry-After"));
    }

    @Test
    void two_processes_draw_from_one_bucket_and_it_refills_at_the_configured_rate() {
        Throttle a = processA.exact("exact", 4, Duration.ofMinutes(1), "slow down");
        Throttle b = processB.exact("exact", 4, Duration.ofMinutes(1), "slow down");
        a.consume("k");
        b.consume("k");
        a.consume("k");
        b.consume("k");
        int wait = retryAfter(() -> a.consume("k"));
        assertEquals(16, wait, "one token refills in 15 s; Retry-After rounds up");
        retryAfter(() -> b.consume("k"));
        b.consume("another key");
        clock.advance(Duration.ofSeconds(15));
        a.consume("k");
        retryAfter(() -> b.consume("k"));
    }

    @Test
    void a_token_given_back_on_one_process_can_be_taken_on_the_other_but_never_beyond_the_capacity() {
        Throttle a = processA.exact("give-back", 2, Duration.ofMinutes(1), "slow down");
        Throttle b = processB.exact("give-back", 2, Duration.ofMinutes(1), "slow down");
        a.consume("k");
        b.consume("k");
        retryAfter(() -> a.consume("k"));
        b.giveBack("k");
        a.consume("k");
        retryAfter(() -> b.consume("k"));
        // Giving back more than was taken leaves a full bucket, not a bigger one.
        a.consume("fresh");
        a.giveBack("fresh");
        b.giveBack("fresh");
        b.giveBack("never taken");
        a.consume("fresh");
        b.consume("fresh");
        retryAfter(() -> a.consume("fresh"));
        b.consume("never taken");
    }

    @Test
    void concurrent_callers_on_two_processes_with_leases_get_exactly_the_capacity() throws Exception {
        int capacity = 200;
        Throttle a = processA.leased("leased", capacity, Duration.ofMinutes(1), 10, "slow down");
        Throttle b = processB.leased("leased", capacity, Duration.ofMinutes(1), 10, "slow down");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> counts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Throttle t = i % 2 == 0 ? a : b;
                Callable<Integer> taker = () -> {
                    go.await();
                    int taken = 0;
                    while (true) {
                        try {
                            t.consume("user");
                            taken++;
                        } catch (ApiProblem refused) {
                            return taken;
                        }
                    }
                };
                counts.add(pool.submit(taker));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> f : counts) total += f.get();
            // A thread stops at its process's first refusal, when that process's lease is spent and the shared
            // bucket could not give it a token: between them the two processes then hold what is left.
            int left = 0;
            for (Throttle t : List.of(a, b)) {
                while (true) {
                    try {
                        t.consume("user");
                        left++;
                    } catch (ApiProblem refused) {
                        break;
                    }
                }
            }
            assertEquals(capacity, total + left, "tokens handed out across both processes while the clock stood still");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_small_limit_with_leases_is_exact_per_request() {
        Throttle a = processA.leased("small", 3, Duration.ofMinutes(1), 1, "slow down");
        Throttle b = processB.leased("small", 3, Duration.ofMinutes(1), 1, "slow down");
        a.consume("u");
        b.consume("u");
        a.consume("u");
        retryAfter(() -> b.consume("u"));
    }

    @Test
    void the_sweep_drops_only_buckets_that_are_full_again() {
        MutableClock own = MutableClock.atNow();
        try (Database db = TestDatabases.fresh(); Throttles one = new Throttles(db.jdbi(), own);
             Throttles other = new Throttles(db.jdbi(), own)) {
            Throttle a = one.exact("sweep", 1, Duration.ofMinutes(1), "slow down");
            a.consume("old");
            own.advance(Duration.ofMinutes(10));
            a.consume("new");
            assertEquals(1, other.sweep());
            retryAfter(() -> a.consume("new"));
            a.consume("old");
        }
    }
}
