package reciprocity.imports;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import reciprocity.ledger.PersonRef;
import reciprocity.platforms.Platform;
import reciprocity.web.ApiProblem;

/**
 * Writes a job's entries in lanes, so that two chunks are written at once: PostgreSQL's part of an import, most of its
 * work, then runs on two cores instead of one. Each person (canonical platform and handle) belongs to one lane, and
 * each lane is a {@link ChunkWriter} on a thread and a database connection of its own. Lanes hold the user's lock
 * shared and lock each stored person they touch, since a person may have handles in both.
 * <p>
 * An entry that is not an interaction with a handle (a contact, an obligation, someone known by name or by contact id)
 * may touch anyone: at the first one the lanes are drained, and from there on lane 0 writes everything alone. The lane
 * of an entry depends only on the file, so a resumed job routes every entry as before and each lane skips what it
 * committed. The job's thread reads and routes; a lane holds at most {@link #WAITING} blocks of entries besides the
 * chunk it is writing.
 */
final class Lanes implements Sink, AutoCloseable {
    /** Lanes a new job gets: two where there are two cores for PostgreSQL to use. */
    static final int LANES = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    static final int BLOCK = 256;
    static final int WAITING = 2 * ChunkWriter.CHUNK / BLOCK;
    /** An entry that may touch any person: the lanes are drained and lane 0 goes on alone. */
    static final int ANYONE = -1;

    /** Routes an entry: its lane, or {@link #ANYONE}. */
    interface Router {
        int laneOf(Entry e, int lanes);
    }

    private final ChunkWriter[] writers;
    private final ExecutorService[] threads;
    private final Semaphore[] room;
    private final List<List<Entry>> blocks = new ArrayList<>();
    private final List<Future<?>> last = new ArrayList<>();
    private final Router router;
    private volatile Throwable failure;
    private volatile boolean abandoned;
    private boolean alone;

    /** @param writers one per lane, made by the lane's index */
    Lanes(String name, int lanes, IntFunction<ChunkWriter> writers, Router router) {
        this.router = router;
        this.writers = new ChunkWriter[lanes];
        this.threads = new ExecutorService[lanes];
        this.room = new Semaphore[lanes];
        for (int k = 0; k < lanes; k++) {
            this.writers[k] = writers.apply(k);
            String thread = name + "-lane-" + k;
            this.threads[k] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, thread);
                t.setDaemon(true);
                return t;
            });
            this.room[k] = new Semaphore(WAITING);
            blocks.add(new ArrayList<>(BLOCK));
            last.add(null);
        }
    }

    /**
     * The lane of an entry of a job with {@code lanes} lanes: an interaction with a person's handle or URL goes to its
     * person's lane; one that cannot be read writes nothing but its error, so any lane will do.
     */
    static int route(Entry e, int lanes, java.util.function.Function<PersonRef, Map.Entry<Platform, String>> handleOf) {
        if (e.error() != null) return 0;
        if (e.interaction() == null || e.personName() != null || e.fromExport()) return ANYONE;
        PersonRef p = e.interaction().person();
        if (p == null) return 0;
        if (p.contactId() != null) return ANYONE;
        try {
            Map.Entry<Platform, String> key = handleOf.apply(p);
            return laneOf(key.getKey().id(), key.getValue(), lanes);
        } catch (ApiProblem invalid) {
            return 0;
        }
    }

    /** The lane of the person with this canonical platform and handle. */
    static int laneOf(String platform, String handle, int lanes) {
        return Math.floorMod((platform + " " + handle).hashCode(), lanes);
    }

    @Override
    public void identity(String platform, String handle) {
        writers[0].identity(platform, handle);
    }

    @Override
    public void accept(Entry entry) {
        int k = alone ? 0 : router.laneOf(entry, writers.length);
        if (k == ANYONE) {
            drain();
            alone = true;
            k = 0;
        }
        List<Entry> block = blocks.get(k);
        block.add(entry);
        if (block.size() >= BLOCK) send(k);
    }

    /** Hands lane {@code k} its block, waiting while the lane has {@link #WAITING} blocks to write. */
    private void send(int k) {
        List<Entry> block = blocks.get(k);
        if (block.isEmpty()) return;
        blocks.set(k, new ArrayList<>(BLOCK));
        try {
            while (!room[k].tryAcquire(50, TimeUnit.MILLISECONDS)) check();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        ChunkWriter writer = writers[k];
        last.set(k, threads[k].submit(() -> {
            try {
                if (failure == null && !abandoned) for (Entry e : block) writer.accept(e);
            } catch (Throwable t) {
                fail(t);
            } finally {
                room[k].release();
            }
        }));
        check();
    }

    /** Writes everything handed over so far, in every lane, and waits until it is committed. */
    void drain() {
        for (int k = 0; k < writers.length; k++) {
            send(k);
            ChunkWriter writer = writers[k];
            last.set(k, threads[k].submit(() -> {
                try {
                    if (failure == null && !abandoned) writer.flush();
                } catch (Throwable t) {
                    fail(t);
                }
            }));
        }
        for (Future<?> f : last) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                fail(e.getCause());
            }
        }
        check();
    }

    private synchronized void fail(Throwable t) {
        if (failure == null) failure = t;
    }

    /** Throws what stopped a lane: a cancel as it was, anything else wrapped so its stack shows both threads. */
    private void check() {
        Throwable t = failure;
        if (t == null) return;
        if (t instanceof ChunkWriter.Stopped s) throw s;
        throw new IllegalStateException("an import lane failed: " + t, t);
    }

    /** Stops the lanes after the chunk each is writing, if any, and waits for them. */
    @Override
    public void close() throws InterruptedException {
        abandoned = true;
        for (ExecutorService t : threads) t.shutdown();
        for (ExecutorService t : threads) t.awaitTermination(1, TimeUnit.MINUTES);
    }
}
