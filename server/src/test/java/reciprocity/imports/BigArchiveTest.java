package reciprocity.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reciprocity.db.Database;
import reciprocity.support.TestDatabases;
import reciprocity.support.TestServer;

/**
 * Issue 5, streamed end to end: a generated 200 MB X archive (`-Dreciprocity.bigArchive.mb`, tweets with
 * `-Dreciprocity.bigArchive.tweets`) is uploaded to a server running as its own JVM on a 256 MB heap, raw and then
 * multipart, then imported once more by the CLI on the same heap; it prints the time and rate of each.
 */
class BigArchiveTest {
    static final String HEAP = "-Xmx256m";
    static final long MB = Long.getLong("reciprocity.bigArchive.mb", 200);
    static final int TWEETS = Integer.getInteger("reciprocity.bigArchive.tweets", 150_000);

    @TempDir
    static Path dir;
    static Database database;
    static BigXArchive.Written archive;
    static Process server;
    static Path serverLog;
    static String baseUrl;

    @BeforeAll
    static void start() throws Exception {
        long t0 = System.nanoTime();
        archive = BigXArchive.write(dir.resolve("twitter-archive.zip"), MB << 20, TWEETS, TWEETS / 40);
        System.out.printf("generated %s: %,d bytes, %,d tweets, %,d media files, %,d entries to import in %.1f s%n", archive.file().getFileName(),
                archive.bytes(), archive.tweets(), archive.mediaFiles(), archive.entries(), (System.nanoTime() - t0) / 1e9);
        database = TestDatabases.fresh();
        serverLog = dir.resolve("server.log");
        server = java(serverLog, Map.of("PORT", "0"), "serve");
        baseUrl = "http://localhost:" + port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) server.destroyForcibly();
        }
        if (database != null) database.close();
    }

    /** The server jar's main class in a JVM of its own on a small heap, which exits at the first OutOfMemoryError. */
    static Process java(Path log, Map<String, String> extraEnv, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + log + ".gc", "-cp", System.getProperty("java.class.path"), "reciprocity.App"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("RECIPROCITY_HOME", dir.resolve("home").toString());
        env.put("DATABASE_URL", database.pool().getJdbcUrl());
        env.put("DATABASE_USER", "postgres");
        env.put("JWT_SECRET", "big-archive-test-secret-big-archive-test-secret");
        env.put("RATE_LIMIT_PER_MINUTE", "0");
        env.putAll(extraEnv);
        return pb.start();
    }

    static int port() throws Exception {
        Pattern listening = Pattern.compile("listening on http://localhost:(\\d+)");
        for (int i = 0; i < 1200; i++) {
            Matcher m = listening.matcher(Files.readString(serverLog));
            if (m.find()) return Integer.parseInt(m.group(1));
            assertTrue(server.isAlive(), "the server stopped at start:\n" + Files.readString(serverLog));
            Thread.sleep(50);
        }
        throw new AssertionError("the server did not start within a minute:\n" + Files.readString(serverLog));
    }

    static String register(String email) {
        return TestServer.api(baseUrl).body(Map.of("email", email, "password", "correct horse battery staple", "displayName", "Big"))
                .post("/v1/auth/register").then().statusCode(201).extract().path("accessToken");
    }

    /** Uploads the archive streamed from disk, raw or as the multipart field `file`; returns the job id. */
    static long upload(String token, boolean multipart) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/imports?format=x-archive"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(5));
        if (multipart) {
            String boundary = "----big" + UUID.randomUUID();
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"twitter-archive.zip\"\r\n"
                    + "Content-Type: application/zip\r\n\r\n";
            String tail = "\r\n--" + boundary + "--\r\n";
            request.header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head),
                            HttpRequest.BodyPublishers.ofFile(archive.file()), HttpRequest.BodyPublishers.ofString(tail)));
        } else {
            request.header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofFile(archive.file()));
        }
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            assertFalse(server.waitFor(10, TimeUnit.SECONDS), "the server died during the upload:\n" + tail(serverLog));
            throw e;
        }
        assertEquals(202, response.statusCode(), response.body());
        Matcher id = Pattern.compile("\"importId\"\\s*:\\s*(\\d+)").matcher(response.body());
        assertTrue(id.find(), response.body());
        return Long.parseLong(id.group(1));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> finished(String token, long id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            assertTrue(server.isAlive(), "the server died:\n" + tail(serverLog));
            Map<String, Object> job = TestServer.api(baseUrl).header("Authorization", "Bearer " + token).get("/v1/imports/" + id)
                    .then().statusCode(200).extract().as(Map.class);
            if (List.of("done", "failed", "cancelled").contains(job.get("state"))) return job;
            Thread.sleep(500);
        }
        throw new AssertionError("import " + id + " did not finish in 10 minutes");
    }

    /** Uploads, waits for the job, prints the figures and returns the job. */
    static Map<String, Object> importThroughApi(String token, boolean multipart) throws Exception {
        long t0 = System.nanoTime();
        long id = upload(token, multipart);
        double uploaded = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> job = finished(token, id);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("API %s upload of %,d MB: %.1f s to upload, %.1f s in all, %,.0f entries/s, %.1f MB/s: %s created %s duplicates %s errors%n",
                multipart ? "multipart" : "raw", archive.bytes() >> 20, uploaded, seconds, archive.entries() / seconds,
                archive.bytes() / 1048576.0 / seconds, job.get("created"), job.get("duplicates"), job.get("errorCount"));
        return job;
    }

    /** The most heap in use right after a collection (what was live, roughly), from the JVM's GC log, in MB. */
    static long peakLiveHeapMb(Path log) throws IOException {
        Matcher m = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)").matcher(Files.readString(Path.of(log + ".gc")));
        long peak = 0;
        while (m.find()) peak = Math.max(peak, Long.parseLong(m.group(2)));
        return peak;
    }

    static long n(Map<String, Object> job, String field) {
        return ((Number) job.get(field)).longValue();
    }

    static String tail(Path log) throws IOException {
        String s = Files.readString(log, StandardCharsets.UTF_8);
        return s.substring(Math.max(0, s.length() - 4000));
    }

    @Test
    void a_200_mb_archive_imports_through_the_api_and_again_through_the_cli_on_a_256_mb_heap_creating_nothing_twice() throws Exception {
        String email = "big" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String token = register(email);

        Map<String, Object> first = importThroughApi(token, false);
        assertEquals("done", first.get("state"), first.toString());
        assertEquals(archive.entries(), n(first, "total"));
        assertEquals(archive.entries(), n(first, "processed"));
        assertEquals(archive.entries(), n(first, "created"), first.toString());
        assertEquals(0, n(first, "errorCount"), first.toString());

        Map<String, Object> again = importThroughApi(token, true);
        assertEquals("done", again.get("state"), again.toString());
        assertEquals(archive.entries(), n(again, "processed"));
        assertEquals(0, n(again, "created"));
        assertEquals(archive.entries(), n(again, "duplicates"));

        // The CLI on the same heap reads the same file into the same account (a second account, creating everything
        // again, would double the test's time for a write path the API run has shown already).
        Path cliLog = dir.resolve("cli.log");
        long t0 = System.nanoTime();
        Process cli = java(cliLog, new HashMap<>(), "import", archive.file().toString(), "--format", "x-archive", "--user", email);
        boolean ended = cli.waitFor(10, TimeUnit.MINUTES);
        if (!ended) cli.destroyForcibly();
        assertTrue(ended, "the CLI import did not end in 10 minutes");
        double seconds = (System.nanoTime() - t0) / 1e9;
        String out = Files.readString(cliLog, StandardCharsets.UTF_8);
        System.out.printf("CLI import of %,d MB: %.1f s, %,.0f entries/s%n", archive.bytes() >> 20, seconds, archive.entries() / seconds);
        assertFalse(out.contains("OutOfMemoryError"), tail(cliLog));
        assertEquals(0, cli.exitValue(), tail(cliLog));
        assertTrue(out.contains(String.format(java.util.Locale.ROOT, "done: 0 created, %,d duplicates, 0 errors", archive.entries())), tail(cliLog));
        System.out.printf("heap in use after GC at most: server %d MB, CLI %d MB (of %s)%n", peakLiveHeapMb(serverLog), peakLiveHeapMb(cliLog), HEAP);

        assertTrue(server.isAlive(), tail(serverLog));
        assertFalse(Files.readString(serverLog).contains("OutOfMemoryError"), tail(serverLog));
    }
}
