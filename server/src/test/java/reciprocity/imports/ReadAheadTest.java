package reciprocity.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The reader thread of an import: order, bounded read-ahead, failures handed over in place, and stopping. */
class ReadAheadTest {
    static Entry entry(int i) {
        return Entry.error("e", (long) i, "entry " + i);
    }

    /** Collects what reaches the job's thread as "e<line>" and "id:<handle>". */
    static final class Collect implements Sink {
        final List<String> seen = new ArrayList<>();

        @Override
        public void identity(String platform, String handle) {
            seen.add("id:" + handle);
        }

        @Override
        public void accept(Entry entry) {
            seen.add("e" + entry.line());
        }
    }

    @Test
    void everything_the_reader_finds_arrives_in_file_order_with_identities_in_place() throws Exception {
        int n = 10 * ReadAhead.BLOCK + 7;
        Collect sink = new Collect();
        try (ReadAhead read = new ReadAhead("test-read", s -> {
            for (int i = 0; i < n; i++) {
                if (i % 997 == 0) s.identity("x", "me" + i);
                s.accept(entry(i));
            }
        })) {
            read.drainTo(sink);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i % 997 == 0) expected.add("id:me" + i);
            expected.add("e" + i);
        }
        assertEquals(expected, sink.seen);
    }

    @Test
    void the_reader_stays_at_most_a_few_blocks_ahead_of_a_slow_writer() throws Exception {
        AtomicInteger produced = new AtomicInteger();
        AtomicInteger consumed = new AtomicInteger();
        AtomicInteger furthest = new AtomicInteger();
        try (ReadAhead read = new ReadAhead("test-read", s -> {
            for (int i = 0; i < 40 * ReadAhead.BLOCK; i++) {
                s.accept(entry(i));
                furthest.accumulateAndGet(produced.incrementAndGet() - consumed.get(), Math::max);
            }
        })) {
            read.drainTo(new Sink() {
                public void identity(String platform, String handle) {}

                public void accept(Entry entry) {
                    if (consumed.incrementAndGet() % ReadAhead.BLOCK == 0) {
                        try {
                            Thread.sleep(2);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            });
        }
        assertEquals(40 * ReadAhead.BLOCK, consumed.get());
        // The queue's blocks, the block being filled and the one being handed to the writer.
        assertTrue(furthest.get() <= (ReadAhead.DEPTH + 2) * ReadAhead.BLOCK, "read ahead by " + furthest.get());
    }

    @Test
    void long_entries_end_a_block_early_so_the_text_read_ahead_stays_bounded() throws Exception {
        String longText = "x".repeat(20_000);
        int n = 400;
        AtomicInteger produced = new AtomicInteger();
        AtomicInteger consumed = new AtomicInteger();
        AtomicInteger furthest = new AtomicInteger();
        try (ReadAhead read = new ReadAhead("test-read", s -> {
            for (int i = 0; i < n; i++) {
                s.accept(Entry.error("e", (long) i, longText));
                furthest.accumulateAndGet(produced.incrementAndGet() - consumed.get(), Math::max);
            }
        })) {
            read.drainTo(new Sink() {
                public void identity(String platform, String handle) {}

                public void accept(Entry entry) {
                    consumed.incrementAndGet();
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
        }
        assertEquals(n, consumed.get());
        // A block of these ends after 10 entries (200,000 characters), not 250: the queue's blocks, the one being
        // filled and the one being handed over hold at most (DEPTH + 2) x 10 of them.
        long perBlock = ReadAhead.BLOCK_CHARS / ChunkWriter.chars(Entry.error("e", 0L, longText)) + 1;
        assertTrue(furthest.get() <= (ReadAhead.DEPTH + 2) * perBlock, "read ahead by " + furthest.get() + " long entries");
    }

    @Test
    void what_the_reader_throws_arrives_after_every_entry_it_found_before() throws Exception {
        ImportFailed failed = new ImportFailed("b.csv lacks the column direction");
        IOException io = new IOException("disk gone");
        IllegalStateException bug = new IllegalStateException("a bug in a reader");
        for (Exception thrown : List.of(failed, io, bug)) {
            Collect sink = new Collect();
            Exception caught;
            try (ReadAhead read = new ReadAhead("test-read", s -> {
                for (int i = 0; i < 2 * ReadAhead.BLOCK + 3; i++) s.accept(entry(i));
                if (thrown instanceof IOException e) throw e;
                throw (RuntimeException) thrown;
            })) {
                caught = assertThrows(Exception.class, () -> read.drainTo(sink));
                assertTrue(read.readerEnded() || waitEnded(read));
            }
            assertEquals(2 * ReadAhead.BLOCK + 3, sink.seen.size(), thrown.toString());
            if (thrown == bug) {
                // Wrapped, so the log shows where the job's thread was as well as the reader's stack.
                assertSame(bug, caught.getCause());
                assertTrue(caught.getMessage().contains("reader failed"), caught.getMessage());
            } else {
                assertSame(thrown, caught);
            }
        }
    }

    static boolean waitEnded(ReadAhead read) throws InterruptedException {
        for (int i = 0; i < 100 && !read.readerEnded(); i++) Thread.sleep(10);
        return read.readerEnded();
    }

    @Test
    void when_the_writer_stops_the_reader_stops_too_and_closes_what_it_opened() {
        AtomicBoolean closedFile = new AtomicBoolean();
        AtomicInteger read = new AtomicInteger();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            ReadAhead ahead = new ReadAhead("test-read", s -> {
                try {
                    for (int i = 0; i < 100_000_000; i++) {
                        s.accept(entry(i));
                        read.incrementAndGet();
                    }
                } finally {
                    closedFile.set(true);
                }
            });
            RuntimeException stopped = new RuntimeException("cancelled");
            try (ahead) {
                assertSame(stopped, assertThrows(RuntimeException.class, () -> ahead.drainTo(new Sink() {
                    int n;

                    public void identity(String platform, String handle) {}

                    public void accept(Entry entry) {
                        if (++n == 1000) throw stopped;
                    }
                })));
            }
            assertTrue(ahead.readerEnded(), "the reader thread is still running");
        });
        assertTrue(closedFile.get());
        assertTrue(read.get() < 1000 + (ReadAhead.DEPTH + 3) * ReadAhead.BLOCK, "read " + read.get());
    }

    @Test
    void an_interrupted_writer_leaves_the_reader_stopping() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        AtomicReference<ReadAhead> ahead = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try (ReadAhead read = new ReadAhead("test-read", s -> {
                started.countDown();
                while (true) s.accept(entry(0)); // a reader far ahead: the queue is full
            })) {
                ahead.set(read);
                read.drainTo(new Sink() {
                    public void identity(String platform, String handle) {}

                    public void accept(Entry entry) {
                        try {
                            Thread.sleep(60_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("interrupted");
                        }
                    }
                });
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        writer.start();
        started.await();
        Thread.sleep(100);
        writer.interrupt();
        writer.join(10_000);
        assertTrue(!writer.isAlive() && outcome.get() != null, "the writer did not stop");
        assertTrue(waitEnded(ahead.get()), "the reader thread is still running");
    }
}
