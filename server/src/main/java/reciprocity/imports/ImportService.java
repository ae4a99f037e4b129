package reciprocity.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reciprocity.account.AccountService;
import reciprocity.account.Settings;
import reciprocity.ledger.Ledger;
import reciprocity.web.ApiProblem;
import reciprocity.web.Cursors;
import reciprocity.db.Rows;
import reciprocity.web.Page;
import reciprocity.web.Pages;

/**
 * Import jobs: an upload is streamed to a file under RECIPROCITY_HOME/imports, a row records the job, and a small pool
 * reads the file twice: once to count its entries (which also proves the whole file readable before anything is
 * written), then on a reader thread of the job's own that stays a few blocks ahead of the chunks the job's thread
 * writes. Every live job's row carries this process as owner and a heartbeat; a job whose owner stopped beating (a
 * restart, a crash) is adopted and resumes from its stored progress, or fails with a reason when its file is gone.
 */
public final class ImportService implements AutoCloseable {
    public static final long MAX_UPLOAD_BYTES = 1L << 30;
    private static final Logger LOG = LoggerFactory.getLogger(ImportService.class);
    private static final TypeReference<List<ImportError>> ERRORS = new TypeReference<>() {};

    private final Jdbi jdbi;
    private final Ledger ledger;
    private final AccountService accounts;
    private final ObjectMapper json;
    private final Clock clock;
    private final Cursors cursors;
    private final Path dir;
    private final Function<ImportFormat, FormatReader> readers;
    private final String owner = UUID.randomUUID().toString();
    private final ExecutorService jobs = Executors.newFixedThreadPool(2, daemon("reciprocity-import"));
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(daemon("reciprocity-import-sweep"));
    private volatile boolean closing;

    /**
     * @param adoptOrphans true in a server: take over jobs no live process owns (false in the CLI, which runs its own job)
     */
    public ImportService(Jdbi jdbi, Ledger ledger, AccountService accounts, ObjectMapper json, Clock clock, Cursors cursors,
                         Path dir, boolean adoptOrphans) {
        this(jdbi, ledger, accounts, json, clock, cursors, dir, adoptOrphans, ImportFormat::reader);
    }

    /** @param readers a new reader of a format for each pass over a file (tests put in readers that break) */
    ImportService(Jdbi jdbi, Ledger ledger, AccountService accounts, ObjectMapper json, Clock clock, Cursors cursors,
                  Path dir, boolean adoptOrphans, Function<ImportFormat, FormatReader> readers) {
        this.readers = readers;
        this.jdbi = jdbi;
        this.ledger = ledger;
        this.accounts = accounts;
        this.json = json;
        this.clock = clock;
        this.cursors = cursors;
        this.dir = dir.toAbsolutePath().normalize();
        sweeper.scheduleWithFixedDelay(() -> sweep(adoptOrphans), 0, 20, TimeUnit.SECONDS);
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ------------------------------------------------------------------------------------------------ API

    /** Streams the upload to disk (at most {@link #MAX_UPLOAD_BYTES}), records the job and queues it. */
    public long create(long userId, ImportFormat format, InputStream body) {
        Path file = store(body);
        long id;
        try {
            id = jdbi.withHandle(h -> h.createUpdate("""
                            insert into imports (user_id, format, state, file_path, size_bytes, owner, created_at)
                            values (:u, :f, 'queued', :path, :size, :owner, :now)""")
                    .bind("u", userId).bind("f", format.id()).bind("path", file.toString()).bind("size", size(file))
                    .bind("owner", owner).bind("now", clock.instant())
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
        jobs.submit(() -> run(id, ChunkWriter.Progress.NONE));
        return id;
    }

    private Path store(InputStream body) {
        Path file;
        try {
            Files.createDirectories(dir);
            file = Files.createTempFile(dir, "upload-", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write under " + dir, e);
        }
        long total = 0;
        try (InputStream in = body; OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > MAX_UPLOAD_BYTES) throw tooLarge();
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            deleteQuietly(file);
            throw ApiProblem.badRequest("file", "The upload was interrupted; send the file again");
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
        if (total == 0) {
            deleteQuietly(file);
            throw ApiProblem.badRequest("file", "The upload is empty; send the export file as the body or as the multipart field `file`");
        }
        return file;
    }

    public static ApiProblem tooLarge() {
        return new ApiProblem(413, "Content too large", "An import file may be at most 1 GiB", "file", null);
    }

    public ImportView get(long userId, long id) {
        return jdbi.withHandle(h -> h.createQuery("select * from imports where user_id = :u and id = :id")
                        .bind("u", userId).bind("id", id).map((rs, ctx) -> view(rs)).findOne())
                .orElseThrow(() -> ApiProblem.notFound("Import " + id));
    }

    public Page<ImportView> list(long userId, String cursor, int limit) {
        return Pages.newestFirst(jdbi, cursors, userId, "imports", cursor, limit, (rs, ctx) -> view(rs), ImportView::id);
    }

    /** Stops a queued or running job after the chunk in hand; what was committed stays. */
    public void cancel(long userId, long id) {
        Optional<Map<String, Object>> old = jdbi.withHandle(h -> h.createQuery("""
                        with old as (select id, state, file_path from imports where id = :id and user_id = :u for update)
                        update imports i set state = 'cancelled', finished_at = :now from old
                        where i.id = old.id and old.state in ('queued', 'running')
                        returning old.state, old.file_path""")
                .bind("id", id).bind("u", userId).bind("now", clock.instant()).mapToMap().findOne());
        if (old.isEmpty()) {
            ImportView current = get(userId, id);
            throw ApiProblem.conflict("Import " + id + " has already ended (" + current.state() + "); there is nothing to cancel");
        }
        if ("queued".equals(old.get().get("state"))) deleteOwned((String) old.get().get("file_path"));
    }

    // ------------------------------------------------------------------------------------------------ CLI

    /** Imports a local file in the calling thread (the file is read in place and left alone); the job is visible in the API. */
    public ImportView importHere(long userId, ImportFormat format, Path file, ChunkWriter.Progress progress) {
        Path path = file.toAbsolutePath().normalize();
        long id = jdbi.withHandle(h -> h.createUpdate("""
                        insert into imports (user_id, format, state, file_path, size_bytes, owner, created_at)
                        values (:u, :f, 'queued', :path, :size, :owner, :now)""")
                .bind("u", userId).bind("f", format.id()).bind("path", path.toString()).bind("size", size(path))
                .bind("owner", owner).bind("now", clock.instant())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        run(id, progress);
        return get(userId, id);
    }

    /** The total entries, once counted (null before); for progress bars. */
    public Long total(long id) {
        return jdbi.withHandle(h -> h.createQuery("select total from imports where id = :id").bind("id", id).mapTo(Long.class).findOne().orElse(null));
    }

    // ------------------------------------------------------------------------------------------------ jobs

    private record Claim(long userId, ImportFormat format, Path file, long processed, long storedErrors) {}

    void run(long id, ChunkWriter.Progress progress) {
        Optional<Claim> claimed = jdbi.withHandle(h -> h.createQuery("""
                        update imports set state = 'running', started_at = coalesce(started_at, :now), owner = :me, heartbeat_at = now()
                        where id = :id and state in ('queued', 'running')
                        returning user_id, format, file_path, processed, jsonb_array_length(errors) stored""")
                .bind("id", id).bind("now", clock.instant()).bind("me", owner)
                .map((rs, ctx) -> new Claim(rs.getLong("user_id"), ImportFormat.fromId(rs.getString("format")).orElse(null),
                        rs.getString("file_path") == null ? null : Path.of(rs.getString("file_path")), rs.getLong("processed"), rs.getLong("stored")))
                .findOne());
        if (claimed.isEmpty()) return;
        Claim c = claimed.get();
        ChunkWriter writer = null;
        boolean ended = true;
        try {
            if (c.format() == null) throw new ImportFailed("Unknown format");
            if (c.file() == null || !Files.isReadable(c.file())) {
                throw new ImportFailed("The uploaded file is gone (the server stopped while importing it); "
                        + c.processed() + " entries had been read; upload it again to import the rest (nothing is imported twice)");
            }
            Settings settings = accounts.settings(c.userId());
            FormatReader.Known known = known(c.userId());
            long total = count(c, known);
            jdbi.useHandle(h -> h.createUpdate("update imports set total = :t, heartbeat_at = now() where id = :id")
                    .bind("t", total).bind("id", id).execute());
            writer = new ChunkWriter(jdbi, ledger, settings, json, clock, c.userId(), id, c.processed(), total, c.storedErrors(), progress);
            // The second pass reads on a thread of its own, a few blocks ahead, while this one writes.
            try (ReadAhead read = new ReadAhead("reciprocity-import-read-" + id, sink -> readAll(c, known, sink))) {
                read.drainTo(writer);
            }
            writer.flush();
            finish(id, "done", null);
        } catch (ImportFailed e) {
            try {
                if (writer != null) writer.flush();
                finish(id, "failed", e.getMessage());
            } catch (ChunkWriter.Stopped stopped) {
                // cancelled meanwhile
            }
        } catch (ChunkWriter.Stopped e) {
            // cancelled: the state says so already
        } catch (Exception e) {
            if (closing) {
                ended = false; // the next start resumes it
            } else {
                LOG.error("import {} failed", id, e);
                finish(id, "failed", "The import stopped on an internal error; what was read before it is imported. Try again (nothing is imported twice).");
            }
        } finally {
            if (ended) deleteOwned(c.file() == null ? null : c.file().toString());
        }
    }

    /** The first pass: how many entries the file holds, so progress has a total. */
    private long count(Claim c, FormatReader.Known known) throws IOException {
        Sink.Counter n = new Sink.Counter();
        readAll(c, known, n);
        return n.entries();
    }

    /** Reads the whole file; where it stops being readable (a damaged archive) one error entry says so. */
    private void readAll(Claim c, FormatReader.Known known, Sink sink) throws IOException {
        try (Archive archive = Archive.open(c.file())) {
            try {
                readers.apply(c.format()).read(archive, known, sink);
            } catch (IOException | UncheckedIOException e) {
                sink.accept(Entry.error("archive", null, "The file cannot be read from here on (" + FormatReader.clip(e.getMessage(), 200)
                        + "); everything before it is imported"));
            }
        }
    }

    private FormatReader.Known known(long userId) {
        Map<String, Set<String>> byPlatform = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("select platform, handle from identities where user_id = :u").bind("u", userId)
                .map((rs, ctx) -> byPlatform.computeIfAbsent(rs.getString("platform"), p -> new HashSet<>()).add(rs.getString("handle")))
                .list());
        return new FormatReader.Known(byPlatform);
    }

    private void finish(long id, String state, String reason) {
        jdbi.useHandle(h -> h.createUpdate("""
                        update imports set state = :s, reason = :r, finished_at = :now, file_path = null
                        where id = :id and state = 'running'""")
                .bind("s", state).bind("r", reason).bind("now", clock.instant()).bind("id", id).execute());
    }

    /** Keeps this process's live jobs beating and, in a server, adopts jobs whose owner stopped beating. */
    private void sweep(boolean adopt) {
        if (closing) return;
        try {
            jdbi.useHandle(h -> h.createUpdate("update imports set heartbeat_at = now() where owner = :me and state in ('queued', 'running')")
                    .bind("me", owner).execute());
            if (!adopt) return;
            List<Long> orphans = jdbi.withHandle(h -> h.createQuery("""
                            update imports set owner = :me, heartbeat_at = now()
                            where state in ('queued', 'running') and owner <> :me and heartbeat_at < now() - interval '90 seconds'
                            returning id""")
                    .bind("me", owner).mapTo(Long.class).list());
            for (Long id : orphans) {
                LOG.info("resuming import {} left behind by a stopped process", id);
                jobs.submit(() -> run(id, ChunkWriter.Progress.NONE));
            }
        } catch (RuntimeException e) {
            LOG.warn("import sweep failed: {}", e.getMessage());
        }
    }

    /** Deletes an upload this service stored (never a file the CLI was pointed at). */
    private void deleteOwned(String path) {
        if (path == null) return;
        Path p = Path.of(path).toAbsolutePath().normalize();
        if (p.startsWith(dir)) deleteQuietly(p);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ImportView view(ResultSet rs) throws SQLException {
        List<ImportError> errors;
        try {
            errors = json.readValue(rs.getString("errors"), ERRORS);
        } catch (JsonProcessingException e) {
            errors = List.of();
        }
        return new ImportView(rs.getLong("id"), rs.getString("state"), rs.getString("format"), rs.getLong("processed"),
                (Long) rs.getObject("total"), rs.getLong("created"), rs.getLong("duplicates"), rs.getLong("error_count"), errors,
                rs.getString("reason"), Rows.instant(rs, "created_at"), Rows.instant(rs, "started_at"), Rows.instant(rs, "finished_at"));
    }

    /** Stops taking work; a job in progress stays `running` and is resumed by the next start. */
    @Override
    public void close() {
        closing = true;
        sweeper.shutdownNow();
        jobs.shutdownNow();
        try {
            jobs.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
