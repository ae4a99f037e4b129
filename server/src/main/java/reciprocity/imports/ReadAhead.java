package reciprocity.imports;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a file on a thread of its own while the job's thread writes what was read before: the reader hands blocks of
 * entries (and identities, in file order) through a bounded queue, so parsing overlaps the database's work and at most
 * {@link #DEPTH} blocks wait in memory. What the reader throws reaches {@link #drainTo} after every entry it found
 * before, as if the reader had run on the calling thread. Closing it stops the reader at its next entry and waits for it.
 */
final class ReadAhead implements AutoCloseable {
    /** Entries a block holds at most. */
    static final int BLOCK = 250;
    /** Text (as {@link ChunkWriter#chars} counts it) at which a block ends early, so long notes keep the queue small. */
    static final long BLOCK_CHARS = 200_000;
    /**
     * Blocks that may wait: more than a chunk's worth, so that while the job's thread waits on the database for one
     * chunk the reader can parse the whole next one (with 6, the writer waited on the reader for a fifth of each chunk).
     * At most DEPTH × BLOCK_CHARS characters (~10 MB) wait.
     */
    static final int DEPTH = ChunkWriter.CHUNK / BLOCK + 4;

    /** A read of the whole file into a sink (on the reader's thread). */
    interface Source {
        void read(Sink sink) throws IOException;
    }

    private record Identity(String platform, String handle) {}

    /** Up to {@link #BLOCK} items in file order; the last block also carries how the read ended. */
    private record Block(List<Object> items, boolean last, Throwable failure) {}

    /** Thrown on the reader's thread to unwind it once nobody takes its blocks any more. */
    private static final class Abandoned extends RuntimeException {
        Abandoned() {
            super("abandoned", null, false, false);
        }
    }

    private final BlockingQueue<Block> queue = new ArrayBlockingQueue<>(DEPTH);
    private final Thread thread;
    private volatile boolean abandoned;
    private boolean ended;

    ReadAhead(String name, Source source) {
        thread = new Thread(() -> produce(source), name);
        thread.setDaemon(true);
        thread.start();
    }

    private void produce(Source source) {
        Blocks blocks = new Blocks();
        Throwable failure = null;
        try {
            source.read(blocks);
        } catch (Abandoned e) {
            return;
        } catch (Throwable t) {
            failure = t;
        }
        try {
            hand(new Block(blocks.items, true, failure));
        } catch (Abandoned e) {
            // nobody is listening any more
        }
    }

    /** The reader's sink: fills a block and hands it over when full. */
    private final class Blocks implements Sink {
        List<Object> items = new ArrayList<>(BLOCK);

        @Override
        public void identity(String platform, String handle) {
            add(new Identity(platform, handle));
        }

        @Override
        public void accept(Entry entry) {
            add(entry);
        }

        private long chars;

        private void add(Object item) {
            if (abandoned) throw new Abandoned();
            items.add(item);
            if (item instanceof Entry e) chars += ChunkWriter.chars(e);
            if (items.size() >= BLOCK || chars >= BLOCK_CHARS) {
                hand(new Block(items, false, null));
                items = new ArrayList<>(BLOCK);
                chars = 0;
            }
        }
    }

    /** Waits for room in the queue, giving up once the reading is abandoned. */
    private void hand(Block b) {
        try {
            while (!queue.offer(b, 50, TimeUnit.MILLISECONDS)) {
                if (abandoned) throw new Abandoned();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Abandoned();
        }
    }

    /**
     * Hands everything the reader finds to {@code sink}, in file order, on the calling thread, until the file ends; then
     * throws what the reader threw, if anything: an {@link ImportFailed} or {@link IOException} as it was, anything else
     * wrapped so its stack shows both threads.
     */
    void drainTo(Sink sink) throws IOException, InterruptedException {
        while (!ended) {
            Block b = queue.take();
            for (Object item : b.items()) {
                if (item instanceof Entry e) sink.accept(e);
                else if (item instanceof Identity i) sink.identity(i.platform(), i.handle());
            }
            if (b.last()) {
                ended = true;
                Throwable t = b.failure();
                if (t == null) return;
                if (t instanceof ImportFailed f) throw f;
                if (t instanceof IOException io) throw io;
                throw new IllegalStateException("the import's reader failed: " + t, t);
            }
        }
    }

    /** Stops the reader (at its next entry, if it is still reading) and waits a while for its thread to end. */
    @Override
    public void close() throws InterruptedException {
        abandoned = true;
        queue.clear();
        thread.join(TimeUnit.SECONDS.toMillis(5));
    }

    /** For tests: whether the reader's thread has ended. */
    boolean readerEnded() {
        return !thread.isAlive();
    }
}
