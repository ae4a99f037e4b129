package reciprocity.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reciprocity.account.Settings;
import reciprocity.ledger.Ledger;
import reciprocity.ledger.PersonRef;
import reciprocity.platforms.LinkParser;
import reciprocity.support.TestDatabases;
import reciprocity.web.Json;

/** What tells a process's caches that a user's data changed: a committed write, and never a rolled-back one. */
class ChangeFeedTest {
    static Database db;
    static ChangeFeed feed;

    @BeforeAll
    static void start() throws InterruptedException {
        db = TestDatabases.fresh();
        feed = new ChangeFeed(db.pool().getJdbcUrl(), "postgres", null);
        long until = System.nanoTime() + 10_000_000_000L;
        while (!feed.listening() && System.nanoTime() < until) Thread.sleep(10);
        assertTrue(feed.listening(), "the change feed did not start listening");
    }

    @AfterAll
    static void stop() {
        feed.close();
        db.close();
    }

    static long newUser() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        insert into users (email, email_key, password_hash, display_name, created_at, updated_at)
                        values (:e, :e, 'x', 'x', now(), now()) returning id""")
                .bind("e", "feed" + System.nanoTime() + "@example.com").mapTo(Long.class).one());
    }

    /** True once the user's stamp moves on from {@code before}, waiting at most a second. */
    static boolean announcedWithinASecond(long userId, ChangeFeed.Stamp before) throws InterruptedException {
        long until = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < until) {
            if (!feed.isCurrent(userId, before)) return true;
            Thread.sleep(10);
        }
        return false;
    }

    @Test
    void taking_the_ledger_lock_announces_the_user_on_commit_and_not_on_rollback() throws InterruptedException {
        long user = newUser(), other = newUser();
        ChangeFeed.Stamp mine = feed.stamp(user), theirs = feed.stamp(other);
        db.jdbi().useHandle(h -> {
            h.begin();
            Ledger.lockUser(h, user);
            h.rollback();
        });
        assertFalse(announcedWithinASecond(user, mine), "a rolled-back transaction announced a change");
        db.jdbi().useTransaction(h -> Ledger.lockUser(h, user));
        assertTrue(announcedWithinASecond(user, mine), "a committed ledger transaction was not announced");
        assertTrue(feed.isCurrent(other, theirs), "another user's caches were dropped too");
    }

    @Test
    void an_interaction_written_by_the_ledger_is_announced() throws InterruptedException {
        long user = newUser();
        Ledger ledger = new Ledger(new LinkParser(), Json.mapper());
        Instant now = Instant.now();
        Ledger.NewInteraction zoe = new Ledger.NewInteraction(new PersonRef("https://x.com/zoe", null, null, null), "inbound", "comment",
                null, null, now, null, null, "feed-1");
        db.jdbi().useTransaction(h -> ledger.recordBulk(h, user, Settings.DEFAULTS, List.of(zoe), now));
        ChangeFeed.Stamp before = feed.stamp(user);
        Ledger.NewInteraction again = new Ledger.NewInteraction(zoe.person(), "inbound", "comment", null, null, now, null, null, "feed-2");
        List<Ledger.BulkResult> written = db.jdbi().inTransaction(h -> ledger.recordBulk(h, user, Settings.DEFAULTS, List.of(again), now));
        assertEquals("created", written.get(0).status());
        assertTrue(announcedWithinASecond(user, before), "a second interaction with a known person was not announced");
    }
}
