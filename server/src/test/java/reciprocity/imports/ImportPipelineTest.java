package reciprocity.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reciprocity.account.AccountService;
import reciprocity.ledger.Ledger;
import reciprocity.platforms.LinkParser;
import reciprocity.support.TestServer;
import reciprocity.web.Cursors;
import reciprocity.web.Json;

/**
 * An import's reader runs on a thread of its own, ahead of the chunks being written: cancelling, a reader that breaks
 * part-way and a file that stops being the format part-way must still leave `processed` equal to the entries whose
 * effects are committed, stop the reader, and say why.
 */
class ImportPipelineTest {
    static TestServer server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** An import service over the test database whose readers {@code readers} makes, one per pass over the file. */
    static ImportService service(Function<ImportFormat, FormatReader> readers) {
        return new ImportService(server.database.jdbi(), new Ledger(new LinkParser(), Json.mapper()),
                new AccountService(server.database.jdbi(), Json.mapper(), server.clock, null), Json.mapper(), server.clock,
                new Cursors(new SecureRandom().generateSeed(32)), dir.resolve("imports"), false, readers);
    }

    /** A generic CSV of {@code rows} interactions, each creating one. */
    static Path csv(int rows) throws IOException {
        StringBuilder csv = new StringBuilder("platform,handle,direction,kind,occurredAt,externalId\n");
        for (int i = 0; i < rows; i++) csv.append("x,p").append(i % 97).append(",inbound,like,2025-01-01T00:00:00Z,r").append(i).append('\n');
        Path file = Files.createTempFile(dir, "rows-", ".csv");
        Files.writeString(file, csv);
        return file;
    }

    static long userId() {
        String email = server.registerLongLived().email();
        return server.database.jdbi().withHandle(h -> h.createQuery("select id from users where email_key = lower(:e)")
                .bind("e", email).mapTo(Long.class).one());
    }

    static long stored(long userId) {
        return server.database.jdbi().withHandle(h -> h.createQuery("select count(*) from interactions where user_id = :u")
                .bind("u", userId).mapTo(Long.class).one());
    }

    static long runningImport(long userId) {
        return server.database.jdbi().withHandle(h -> h.createQuery("select id from imports where user_id = :u and state = 'running'")
                .bind("u", userId).mapTo(Long.class).one());
    }

    /** The job's reader threads still alive. */
    static List<Thread> readerThreads(ImportView job) {
        List<Thread> readers = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().equals("reciprocity-import-read-" + job.id()) && t.isAlive()) readers.add(t);
        return readers;
    }

    /** Reads as the format does, but on the second pass (the one that is written) {@code breaks} after {@code after} entries. */
    static Function<ImportFormat, FormatReader> breakingOnSecondPass(int after, RuntimeException breaks) {
        AtomicInteger passes = new AtomicInteger();
        return format -> {
            FormatReader real = format.reader();
            if (passes.incrementAndGet() == 1) return real;
            return (archive, known, sink) -> real.read(archive, known, new Sink() {
                int n;

                public void identity(String platform, String handle) {
                    sink.identity(platform, handle);
                }

                public void accept(Entry entry) {
                    if (n++ == after) throw breaks;
                    sink.accept(entry);
                }
            });
        };
    }

    @Test
    void cancelling_mid_import_stops_the_reader_and_keeps_exactly_the_committed_chunks() throws Exception {
        long userId = userId();
        Path file = csv(4 * ChunkWriter.CHUNK);
        try (ImportService imports = service(ImportFormat::reader)) {
            List<Long> progress = new ArrayList<>();
            ImportView job = imports.importHere(userId, ImportFormat.CSV, file, (processed, total, created, duplicates, errors) -> {
                progress.add(processed);
                // While the reader is blocks ahead: the user cancels after the second chunk.
                if (processed == 2L * ChunkWriter.CHUNK) imports.cancel(userId, runningImport(userId));
            });
            assertEquals("cancelled", job.state(), job.toString());
            assertEquals(List.of((long) ChunkWriter.CHUNK, 2L * ChunkWriter.CHUNK), progress);
            assertEquals(2L * ChunkWriter.CHUNK, job.processed());
            assertEquals(4L * ChunkWriter.CHUNK, job.total());
            assertEquals(job.processed(), stored(userId), "processed must equal the entries committed");
            assertEquals(List.of(), readerThreads(job), "the reader must stop with the job");
        }
        assertTrue(Files.exists(file), "a file the CLI was pointed at is left alone");
    }

    @Test
    void a_reader_that_breaks_part_way_fails_the_job_with_a_reason_and_leaves_only_whole_chunks() throws Exception {
        long userId = userId();
        int after = 2 * ChunkWriter.CHUNK + ChunkWriter.CHUNK / 2;
        try (ImportService imports = service(breakingOnSecondPass(after, new IllegalStateException("a bug in the reader")))) {
            ImportView job = imports.importHere(userId, ImportFormat.CSV, csv(3 * ChunkWriter.CHUNK), ChunkWriter.Progress.NONE);
            assertEquals("failed", job.state(), job.toString());
            assertTrue(job.reason().contains("internal error"), job.reason());
            // The half chunk in hand when the reader broke is not written, and not counted.
            assertEquals(2L * ChunkWriter.CHUNK, job.processed());
            assertEquals(job.processed(), stored(userId));
            assertEquals(3L * ChunkWriter.CHUNK, job.total());
            assertEquals(List.of(), readerThreads(job));
        }
    }

    @Test
    void a_file_that_stops_being_the_format_while_it_is_written_fails_with_that_reason_after_what_came_before() throws Exception {
        long userId = userId();
        int after = 2 * ChunkWriter.CHUNK + ChunkWriter.CHUNK / 2;
        try (ImportService imports = service(breakingOnSecondPass(after, new ImportFailed("part2.csv lacks the column kind")))) {
            ImportView job = imports.importHere(userId, ImportFormat.CSV, csv(3 * ChunkWriter.CHUNK), ChunkWriter.Progress.NONE);
            assertEquals("failed", job.state(), job.toString());
            assertEquals("part2.csv lacks the column kind", job.reason());
            // As before the reader had a thread: what was read before the reason is written.
            assertEquals(after, job.processed());
            assertEquals(after, stored(userId));
            assertEquals(List.of(), readerThreads(job));
        }
    }

    @Test
    void a_file_that_is_not_the_format_part_way_through_fails_before_anything_is_written() throws Exception {
        long userId = userId();
        StringBuilder good = new StringBuilder("platform,handle,direction,kind,externalId\n");
        for (int i = 0; i < 2 * ChunkWriter.CHUNK; i++) good.append("x,q").append(i % 13).append(",inbound,like,z").append(i).append('\n');
        Path zip = dir.resolve("two-parts.zip");
        Files.write(zip, ImportFiles.zip(ImportFiles.files("a.csv", ImportFiles.text(good.toString()),
                "b.csv", ImportFiles.text("platform,handle,when\nx,carol,2025-01-01\n"))));
        try (ImportService imports = service(ImportFormat::reader)) {
            ImportView job = imports.importHere(userId, ImportFormat.CSV, zip, ChunkWriter.Progress.NONE);
            assertEquals("failed", job.state(), job.toString());
            assertTrue(job.reason().contains("b.csv lacks the columns direction, kind"), job.reason());
            assertEquals(0, job.processed());
            assertEquals(0, stored(userId), "the first pass reads the whole file before anything is written");
        }
    }

    @Test
    void long_notes_end_a_chunk_early_so_its_memory_stays_small() throws Exception {
        long userId = userId();
        String note = "n".repeat(4000);
        StringBuilder csv = new StringBuilder("platform,handle,direction,kind,note,externalId\n");
        int rows = 3000;
        for (int i = 0; i < rows; i++) csv.append("x,long").append(i % 7).append(",inbound,like,").append(note).append(",l").append(i).append('\n');
        Path file = Files.createTempFile(dir, "notes-", ".csv");
        Files.writeString(file, csv);
        long perChunk = ChunkWriter.CHUNK_CHARS / note.length(); // about 1000
        try (ImportService imports = service(ImportFormat::reader)) {
            List<Long> progress = new ArrayList<>();
            ImportView job = imports.importHere(userId, ImportFormat.CSV, file,
                    (processed, total, created, duplicates, errors) -> progress.add(processed));
            assertEquals("done", job.state(), job.toString());
            assertEquals(rows, stored(userId));
            assertTrue(progress.get(0) > perChunk * 0.9 && progress.get(0) <= perChunk, progress.toString());
            assertEquals(rows, progress.get(progress.size() - 1));
            assertEquals(4, progress.size(), progress.toString());
        }
    }
}
