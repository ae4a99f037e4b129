import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;

/**
 * Reciprocity's benchmark: seeds users, contacts and interactions through the public API, then drives the server with
 * wrk and prints req/s, p50 and p99 per endpoint next to /health/live, the ingest rate next to a raw COPY of the same
 * rows, and the server's peak RSS. Everything is measured in one run, side by side, because these machines are noisy.
 * Run it with bench/run.sh.
 */
public final class Bench {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static int users = 100, contacts = 1000, perContact = 10, seconds = 10, connections = 16, threads = 2;
    static String base;
    static String jar = "server/target/reciprocity-server.jar";
    static final List<String> serverJvm = new ArrayList<>();
    static long serverPid;
    static final AtomicLong peakRss = new AtomicLong(), lastRss = new AtomicLong();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--users" -> users = Integer.parseInt(args[++i]);
                case "--contacts" -> contacts = Integer.parseInt(args[++i]);
                case "--per-contact" -> perContact = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--jvm" -> serverJvm.addAll(List.of(args[++i].trim().split("\\s+")));
                case "--jar" -> jar = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (options: --users N --contacts N --per-contact N --seconds N --connections N --jvm FLAGS --jar PATH)");
            }
        }
        Path work = Files.createTempDirectory("reciprocity-bench");
        System.out.printf("Reciprocity benchmark: %d users x %d contacts x %d interactions = %,d interactions%n",
                users, contacts, perContact, (long) users * contacts * perContact);
        try (EmbeddedPostgres pg = reciprocity.db.Database.embedded(work.resolve("pg")).setCleanDataDirectory(true).start()) {
            int port = freePort();
            base = "http://127.0.0.1:" + port;
            // The server as README's "Running in 256 MB" section runs it: the serial collector with a small young
            // generation and a heap that starts at 64 MB and grows only as the live data needs (by default the heap
            // starts at its maximum and is all touched, and G1 adds ~45 MB of its own) and is left 10-25% free after a
            // collection rather than 40-70%, capped code cache and metaspace, and two malloc arenas.
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-Xms64m", "-Xmn40m", "-XX:+UseSerialGC", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=25",
                    "-XX:ReservedCodeCacheSize=64m", "-XX:MaxMetaspaceSize=128m"));
            command.addAll(serverJvm);
            command.addAll(List.of("-jar", jar));
            System.out.println("server: " + String.join(" ", command.subList(1, command.size())));
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("MALLOC_ARENA_MAX", "2");
            pb.environment().put("DATABASE_URL", pg.getJdbcUrl("postgres", "postgres"));
            pb.environment().put("PORT", Integer.toString(port));
            pb.environment().put("RECIPROCITY_HOME", work.toString());
            pb.environment().put("RATE_LIMIT_PER_MINUTE", "0");
            pb.environment().put("REGISTRATIONS_PER_HOUR", "1000000");
            pb.environment().put("JWT_SECRET", "bench-secret-bench-secret-bench-secret-0123456789");
            pb.redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile());
            Process server = pb.start();
            serverPid = server.pid();
            Thread sampler = new Thread(Bench::sampleRss);
            sampler.setDaemon(true);
            sampler.start();
            try {
                waitReady();
                run(pg, work);
            } catch (Exception e) {
                System.err.println("bench: the server's log is kept in " + work.resolve("server.log"));
                throw e;
            } finally {
                server.destroy();
                server.waitFor();
            }
        }
        // A run leaves gigabytes of database behind; a failed one keeps it with the server's log.
        try (var paths = Files.walk(work)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static void run(EmbeddedPostgres pg, Path work) throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int u = 0; u < users; u++) tokens.add(user(u));
        // The "small" database holds about 100,000 interactions whatever the variant (10 users at 1M, 1 user at 10M).
        int small = (int) Math.max(1, Math.min(users - 1, 100_000L / ((long) contacts * perContact)));
        long smallRows = (long) small * contacts * perContact;
        Map<String, String> results = new LinkedHashMap<>();

        double firstRate = seed(pg, work, tokens::get, 0, small, "");
        Files.writeString(work.resolve("tokens.lua"), luaTable("tokens", tokens.subList(0, small)));
        warm(tokens.subList(0, small));
        String[] lookupSmall = wrk("lookup-small", lookupScript(work, small), "/v1/lookup");
        // The batch API is measured, as every endpoint is, once its code is compiled: the first round above is the
        // server's first use of it, and the JIT compiler is still at work well after it (it took a fifth of the two
        // cores during the measured round in session 9). So a round of 400,000 rows, for users of its own that
        // stay, comes first, unmeasured; the JIT's CPU during each round is printed.
        int warmUsers = (int) Math.max(1, Math.min(40, 400_000L / ((long) contacts * perContact)));
        List<String> warmTokens = new ArrayList<>();
        for (int u = 0; u < warmUsers; u++) warmTokens.add(user(WARM_USERS + u));
        seed(pg, work, u -> warmTokens.get(u - WARM_USERS), WARM_USERS, WARM_USERS + warmUsers, "warm-up, not measured: ");
        double rest = users > small ? seed(pg, work, tokens::get, small, users, "") : firstRate;
        double[] restCpu = lastCpu;
        long rows = (long) users * contacts * perContact;
        long stored = count(pg);
        Files.writeString(work.resolve("tokens.lua"), luaTable("tokens", tokens));

        settle(pg);
        warm(tokens);
        String[] health = wrk("health", null, "/health/live");
        String[] lookup = wrk("lookup", lookupScript(work, users), "/v1/lookup");
        String[] lookupBatch = wrk("lookup-50", batchScript(work), "/v1/lookup");
        String[] obligations = wrk("obligations", simpleScript(work, "obligations", "GET", "/v1/obligations?limit=20", null), "/v1/obligations?limit=20");
        String[] list = wrk("list", simpleScript(work, "list", "GET", "/v1/interactions?limit=20", null), "/v1/interactions?limit=20");
        String[] listKind = wrk("list-kind", simpleScript(work, "list-kind", "GET", "/v1/interactions?limit=20&kind=comment", null),
                "/v1/interactions?limit=20&kind=comment");
        String[] write = wrk("interaction", writeScript(work), "/v1/interactions");
        // As every endpoint above is measured after two unmeasured seconds of the same load, the imports are measured
        // after two unmeasured ones of their size (other fresh users), so their code is compiled too: after one of a
        // quarter of their size, the JIT still took 1.5-3 s of CPU during each of the next two imports (session 9). One
        // import takes a few seconds, and a single one varies by 10-20% here, so three are measured (each a fresh user),
        // each followed by the raw COPY of the same number of rows, and the medians are compared.
        int importRows = (int) Math.min(rows, 200_000);
        for (int i = 0; i < 2; i++) {
            System.out.print("warm-up, not measured: ");
            importCsv(users + 1 + i, importRows);
        }
        double[] importCpu = new double[2];
        double[] imports = new double[3], copies = new double[3], alone = new double[3], paired = new double[3];
        for (int i = 0; i < imports.length; i++) {
            imports[i] = importCsv(users + 3 + i, importRows);
            importCpu[0] += lastCpu[0] / imports.length;
            importCpu[1] += lastCpu[1] / imports.length;
            copies[i] = copy(pg, importRows);
            double[] ceiling = ceiling(pg, users + 3 + i);
            alone[i] = ceiling[0];
            paired[i] = ceiling[1];
        }
        double importRate = median(imports), copyRate = median(copies), aloneRate = median(alone), pairedRate = median(paired);
        String heavy = listTimes(lastImportToken, importRows);

        double h = Double.parseDouble(health[0]);
        StringBuilder table = new StringBuilder();
        table.append(String.format("%n%-28s %12s %10s %10s %14s %16s%n", "endpoint", "req/s", "p50", "p99", "req/s vs health",
                "server CPU/req"));
        row(table, "GET /health/live", health, h);
        row(table, "GET /v1/lookup", lookup, h);
        row(table, "POST /v1/lookup (50 URLs)", lookupBatch, h);
        row(table, "GET /v1/obligations", obligations, h);
        row(table, "GET /v1/interactions", list, h);
        row(table, "GET /v1/interactions?kind=", listKind, h);
        row(table, "POST /v1/interactions", write, h);
        table.append(heavy);
        double single = Double.parseDouble(lookup[0]);
        table.append(String.format("%nGoals (this run):%n"));
        table.append(String.format("  single lookup vs /health/live req/s     %.2fx (goal >= 0.6)%n", single / h));
        table.append(String.format("  50-URL batch vs single lookup req/s     %.2fx (goal >= 0.5)%n", Double.parseDouble(lookupBatch[0]) / single));
        table.append(String.format("  lookup p99 vs /health/live p99          %.2fx (goal <= 3)%n", ms(lookup[2]) / ms(health[2])));
        table.append(String.format("  lookup cost at %,d vs at %,d rows    %.2fx (goal <= 1.2; cost = 1/req/s)%n", stored, smallRows,
                Double.parseDouble(lookupSmall[0]) / single));
        table.append(String.format("  ingest through the batch API            %,.0f interactions/s (goal >= 50,000)%n", rest));
        table.append(String.format("  ingest through an import (csv)          %,.0f interactions/s (goal >= 50,000; median of %s)%n", importRate,
                rates(imports)));
        table.append(String.format("  raw COPY of the same rows               %,.0f rows/s (median of %s)%n", copyRate, rates(copies)));
        table.append(String.format("                                          -> batch API at %.2fx, import at %.2fx of COPY (goal >= 0.3)%n",
                rest / copyRate, importRate / copyRate));
        table.append(String.format("  raw COPY of every row an import wrote   %,.0f interactions/s on one connection (median of %s),%n", aloneRate, rates(alone)));
        table.append(String.format("    (its interactions, obligations,       %,.0f interactions/s on two side by side (median of %s)%n", pairedRate, rates(paired)));
        table.append(String.format("    people and handles)                   -> import at %.2fx of one connection, %.2fx of two%n",
                importRate / aloneRate, importRate / pairedRate));
        table.append(cpuLine("batch API", restCpu)).append(cpuLine("import (mean of 3)", importCpu));
        table.append(String.format("  server peak RSS                         %d MB (goal <= 400)%n", peakRss.get() / 1024));
        System.out.print(table);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String report = "# Benchmark " + stamp + "\n\n" + users + " users x " + contacts + " contacts x " + perContact
                + " interactions, wrk -t" + threads + " -c" + connections + " -d" + seconds + "s, "
                + Runtime.getRuntime().availableProcessors() + " cores\n\n```" + table + "```\n";
        Path dir = Path.of("bench", "results");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("bench-" + stamp + ".md"), report);
        Files.writeString(dir.resolve("latest.md"), report);
        System.out.println("\nWritten to bench/results/bench-" + stamp + ".md");
    }

    /** A goal-table line: CPU per interaction of one way in, and the rate the machine's cores allow at that cost. */
    static String cpuLine(String what, double[] us) {
        int cores = Runtime.getRuntime().availableProcessors();
        return String.format("  CPU per interaction, %-18s server %.0f us + PostgreSQL %.0f us: at most %,.0f/s on %d cores%n", what,
                us[0], us[1], cores * 1e6 / (us[0] + us[1]), cores);
    }

    /** The first index of the batch API's warm-up users, clear of the measured users and the import users after them. */
    static final int WARM_USERS = 1_000_000;

    /** CPU seconds the server's JIT compiler threads have used so far (0 when /proc cannot tell). */
    static double jitSeconds() {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(serverPid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    if (stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).contains("CompilerThre")) ticks += cpuTicks(stat);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks / CLOCK_TICKS;
    }

    static double median(double[] xs) {
        double[] sorted = xs.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static String rates(double[] xs) {
        StringBuilder b = new StringBuilder();
        for (double x : xs) b.append(b.length() == 0 ? "" : ", ").append(String.format("%,.0f", x));
        return b.toString();
    }

    static void row(StringBuilder t, String name, String[] r, double health) {
        t.append(String.format("%-28s %12s %10s %10s %13.2fx %13s us%n", name, r[0], r[1], r[2], Double.parseDouble(r[0]) / health, r[3]));
    }

    /** Registers bench user u and returns a read-write personal access token. */
    static String user(int u) throws Exception {
        Map<?, ?> tokens = post("/v1/auth/register", null, Map.of("email", "bench" + u + "@example.com",
                "password", "bench password " + u, "displayName", "Bench " + u), 201);
        Map<?, ?> pat = post("/v1/tokens", (String) tokens.get("accessToken"),
                Map.of("name", "bench", "scopes", List.of("read", "write"), "expiresInDays", 7), 201);
        return (String) pat.get("token");
    }

    /**
     * Seeds users [from, to) through the batch API (1000 items a request, `Prefer: return=minimal`), four requests in
     * flight, and returns interactions per second. The request bodies are written to files before the clock starts, and
     * curl sends them (a C client, as wrk is for the other endpoints), so that the figure is the server's and the
     * database's and the client takes little of the two cores. The four requests in flight are of different users, as
     * one user's writes take turns. Every answer must be 200 and the database must then hold every row.
     */
    static double seed(EmbeddedPostgres pg, Path work, java.util.function.IntFunction<String> tokens, int from, int to, String label) throws Exception {
        Instant now = Instant.now();
        long before = count(pg);
        // Bodies are written a round of users at a time (about 200 MB of JSON), off the clock.
        int perRound = (int) Math.max(1, 1_000_000L / ((long) contacts * perContact));
        double secondsTaken = 0, jit = 0;
        Cpu spent = new Cpu(0, 0);
        Path dir = work.resolve("batches");
        for (int start = from; start < to; start += perRound) {
            int end = Math.min(to, start + perRound);
            Files.createDirectories(dir);
            List<List<Path>> bodies = new ArrayList<>();
            for (int u = start; u < end; u++) {
                List<Path> mine = new ArrayList<>();
                List<Map<String, Object>> batch = new ArrayList<>();
                for (int c = 0; c < contacts; c++) {
                    for (int k = 0; k < perContact; k++) {
                        batch.add(item(u, c, k, now));
                        if (batch.size() == 1000 || (c == contacts - 1 && k == perContact - 1)) {
                            Path f = dir.resolve(u + "-" + mine.size() + ".json");
                            Files.write(f, JSON.writeValueAsBytes(Map.of("items", batch)));
                            mine.add(f);
                            batch.clear();
                        }
                    }
                }
                bodies.add(mine);
            }
            StringBuilder config = new StringBuilder();
            int requests = 0;
            for (int k = 0; ; k++) {
                boolean any = false;
                for (int u = start; u < end; u++) {
                    List<Path> mine = bodies.get(u - start);
                    if (k >= mine.size()) continue;
                    any = true;
                    if (requests++ > 0) config.append("next\n");
                    config.append("url = \"").append(base).append("/v1/interactions/batch\"\n")
                            .append("header = \"Authorization: Bearer ").append(tokens.apply(u)).append("\"\n")
                            .append("header = \"Content-Type: application/json\"\nheader = \"Prefer: return=minimal\"\nheader = \"Expect:\"\n")
                            .append("data-binary = \"@").append(mine.get(k)).append("\"\noutput = \"/dev/null\"\n")
                            .append("write-out = \"%{http_code}\\n\"\n");
                }
                if (!any) break;
            }
            Path cfg = dir.resolve("curl.cfg");
            Files.writeString(cfg, config);
            long started = System.nanoTime();
            double jit0 = jitSeconds();
            Cpu cpu0 = Cpu.now();
            Process curl = new ProcessBuilder("curl", "--silent", "--no-progress-meter", "--parallel", "--parallel-max", "4",
                    "--config", cfg.toString()).redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = curl.waitFor();
            secondsTaken += (System.nanoTime() - started) / 1e9;
            jit += jitSeconds() - jit0;
            spent = spent.plus(Cpu.now().minus(cpu0));
            List<String> codes = out.lines().toList();
            if (exit != 0 || codes.size() != requests || codes.stream().anyMatch(c -> !c.equals("200"))) {
                throw new IllegalStateException("curl exited " + exit + " after " + codes.size() + " of " + requests + " batches: "
                        + out.substring(0, Math.min(500, out.length())));
            }
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.delete(f);
            }
        }
        long rows = (long) (to - from) * contacts * perContact;
        long stored = count(pg) - before;
        if (stored != rows) throw new IllegalStateException("seeding stored " + stored + " interactions, not " + rows);
        double rate = rows / secondsTaken;
        lastCpu = spent.perRow(rows);
        System.out.printf("%sseeded %,d interactions for users %d..%d in %.1f s: %,.0f interactions/s (JIT: %.1f s of CPU%s)%s%n", label, rows, from,
                to - 1, secondsTaken, rate, jit, Cpu.describe(lastCpu), rss());
        return rate;
    }

    static long count(EmbeddedPostgres pg) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement(); var rs = s.executeQuery("select count(*) from interactions")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Map<String, Object> item(int user, int c, int k, Instant now) {
        String[] kinds = {"comment", "reply", "like", "message", "share", "mention"};
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("person", Map.of("platform", "x", "handle", handle(user, c)));
        item.put("direction", (k % 3 == 2) ? "outbound" : "inbound");
        item.put("kind", kinds[(c + k) % kinds.length]);
        item.put("occurredAt", now.minus(Duration.ofMinutes((long) (c * 37 + k * 1013) % 86_400)).toString());
        item.put("externalId", "b" + user + "-" + c + "-" + k);
        return item;
    }

    /** Microseconds of CPU per interaction of the last seeding round or import: the server's and PostgreSQL's. */
    static double[] lastCpu;

    /** The token of the user the last import wrote to. */
    static String lastImportToken;

    /**
     * Milliseconds per `GET /v1/interactions?limit=20` (median of 21, one request at a time) for the user of the last
     * import, who has more people than any seeded user: the list reads person by person (V13), so this is its
     * heavy case. First page, first page of one kind, and the 50th page by cursor.
     */
    static String listTimes(String token, int rows) throws Exception {
        StringBuilder out = new StringBuilder(String.format("%n%s%n", "GET /v1/interactions?limit=20 for the last import's user ("
                + String.format("%,d", rows) + " interactions, " + String.format("%,d", rows / perContact) + " people), ms, one at a time:"));
        String cursor = null;
        for (int page = 1; page < 50; page++) {
            Map<?, ?> p = JSON.readValue(get("/v1/interactions?limit=20" + (cursor == null ? "" : "&cursor=" + cursor), token), Map.class);
            cursor = (String) p.get("nextCursor");
        }
        if (cursor == null) throw new IllegalStateException("the last import's user has fewer than 50 pages of interactions");
        String[][] cases = {{"first page", "/v1/interactions?limit=20"}, {"first page, kind=comment", "/v1/interactions?limit=20&kind=comment"},
                {"50th page (cursor)", "/v1/interactions?limit=20&cursor=" + cursor}};
        for (String[] c : cases) {
            double[] ms = new double[21];
            for (int i = 0; i < ms.length; i++) {
                long t0 = System.nanoTime();
                get(c[1], token);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            out.append(String.format("  %-28s %8.1f ms (median of %d)%n", c[0], median(ms), ms.length));
        }
        return out.toString();
    }

    static String get(String path, String token) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        return r.body();
    }

    /**
     * Imports {@code rows} interactions from a generated generic CSV through `POST /v1/imports?format=csv` for a fresh
     * user (number {@code u}), from the upload to the job's `done`; returns interactions per second.
     */
    static double importCsv(int u, int rows) throws Exception {
        String token = user(u);
        lastImportToken = token;
        StringBuilder csv = new StringBuilder("platform,handle,url,direction,kind,occurredAt,note,externalId\n");
        Instant now = Instant.now();
        for (int i = 0; i < rows; i++) {
            Map<String, Object> it = item(u, i / perContact, i % perContact, now);
            csv.append("x,").append(handle(u, i / perContact)).append(",,").append(it.get("direction")).append(',')
                    .append(it.get("kind")).append(',').append(it.get("occurredAt")).append(",,").append(it.get("externalId")).append('\n');
        }
        byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
        long started = System.nanoTime();
        double jit0 = jitSeconds();
        Cpu cpu0 = Cpu.now();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/imports?format=csv"))
                .timeout(Duration.ofMinutes(2)).header("Content-Type", "text/csv").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) throw new IllegalStateException("import answered " + r.statusCode() + ": " + r.body());
        Object id = JSON.readValue(r.body(), Map.class).get("importId");
        while (true) {
            String status = get("/v1/imports/" + id, token);
            Map<?, ?> job = JSON.readValue(status, Map.class);
            if ("done".equals(job.get("state"))) {
                if (((Number) job.get("created")).longValue() != rows) throw new IllegalStateException("import created " + job.get("created") + " of " + rows);
                break;
            }
            if (!"queued".equals(job.get("state")) && !"running".equals(job.get("state"))) throw new IllegalStateException("import ended " + status);
            Thread.sleep(50);
        }
        double rate = rows / ((System.nanoTime() - started) / 1e9);
        lastCpu = Cpu.now().minus(cpu0).perRow(rows);
        System.out.printf("imported %,d interactions from a %,d-byte CSV: %,.0f interactions/s (JIT: %.1f s of CPU%s)%s%n", rows, body.length, rate,
                jitSeconds() - jit0, Cpu.describe(lastCpu), rss());
        return rate;
    }

    static String handle(int user, int contact) {
        return "b" + user + "c" + contact;
    }

    /** The same rows through a raw COPY into a fresh table shaped like interactions (its indexes, no triggers), dropped afterwards. */
    static double copy(EmbeddedPostgres pg, long rows) throws Exception {
        String table = "bench_copy";
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create table " + table + " (like interactions including defaults including indexes)");
            StringBuilder csv = new StringBuilder();
            Instant now = Instant.now();
            for (long i = 0; i < rows; i++) {
                csv.append(i + 1).append(",1,1,inbound,comment,x,,,").append(now.minusSeconds(i)).append(",,bench,c").append(i)
                        .append(',').append(now).append('\n');
            }
            long started = System.nanoTime();
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "copy " + table + " (id, user_id, contact_id, direction, kind, platform, url, thread_url, occurred_at, note, source, external_id, created_at) from stdin with (format csv)",
                    new StringReader(csv.toString()));
            double rate = rows / ((System.nanoTime() - started) / 1e9);
            s.execute("drop table " + table);
            System.out.printf("raw COPY of %,d rows: %,.0f rows/s%n", rows, rate);
            return rate;
        }
    }

    /**
     * Lets PostgreSQL do now what a bulk load sets off, before the reads are measured: the vacuum and analyze of the
     * loaded tables that autovacuum would start within its minute (tens of seconds of a core here), and a checkpoint
     * that writes the loaded pages out; autovacuum workers already at it are waited for, up to two minutes. Measured
     * while they ran, the endpoints shared the two cores with them for part of a run and not the rest, and a tail
     * latency was the luck of which one they overlapped.
     */
    static void settle(EmbeddedPostgres pg) throws Exception {
        long started = System.nanoTime();
        int workers = 0;
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("vacuum (analyze) interactions, obligations, contacts, handles");
            s.execute("checkpoint");
            for (int i = 0; i < 1200; i++) {
                try (var rs = s.executeQuery("select count(*) from pg_stat_activity where backend_type = 'autovacuum worker'")) {
                    rs.next();
                    workers = rs.getInt(1);
                }
                if (workers == 0) break;
                Thread.sleep(100);
            }
        }
        System.out.printf("vacuum, analyze and checkpoint after the load: %.1f s%s%n", (System.nanoTime() - started) / 1e9,
                workers == 0 ? "" : " (" + workers + " autovacuum workers still running after two minutes)");
    }

    /** The tables an import writes, and the columns a raw COPY of their rows carries (the ids as stored). */
    static final String[][] WRITTEN = {
            {"interactions", "id, user_id, contact_id, direction, kind, platform, url, thread_url, occurred_at, note, source, external_id, created_at"},
            {"obligations", "id, user_id, contact_id, type, interaction_id, state, opened_at, closes_at, snoozed_until, resolved_at, url, created_at"},
            {"contacts", "id, user_id, display_name, notes, tags, cadence_days, balance, balance_at, last_interaction_at, give_back_until, created_at, updated_at"},
            {"handles", "id, user_id, contact_id, platform, handle, created_at"}};

    /**
     * What PostgreSQL itself takes to store what an import stored: every row the import wrote for user {@code u}
     * (interactions, obligations, people and their handles) is read out in COPY's binary format, then written back by
     * raw COPYs into fresh tables shaped like the real ones (their indexes and checks, no triggers). Returns the
     * import's interactions per second of those COPYs on one connection, one table after the other, and on two
     * connections side by side (the interactions on one, the rest on the other). An import cannot beat the first with
     * one backend, nor the second with two: it is the bound this machine's database sets.
     */
    static double[] ceiling(EmbeddedPostgres pg, int u) throws Exception {
        byte[][] rows = new byte[WRITTEN.length][];
        long interactions;
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            long id;
            try (var rs = s.executeQuery("select id from users where email_key = 'bench" + u + "@example.com'")) {
                rs.next();
                id = rs.getLong(1);
            }
            try (var rs = s.executeQuery("select count(*) from interactions where user_id = " + id)) {
                rs.next();
                interactions = rs.getLong(1);
            }
            for (int t = 0; t < WRITTEN.length; t++) {
                var out = new java.io.ByteArrayOutputStream();
                c.unwrap(PGConnection.class).getCopyAPI().copyOut("copy (select " + WRITTEN[t][1] + " from " + WRITTEN[t][0]
                        + " where user_id = " + id + ") to stdout (format binary)", out);
                rows[t] = out.toByteArray();
                s.execute("create table bench_" + WRITTEN[t][0] + " (like " + WRITTEN[t][0] + " including defaults including indexes including constraints)");
            }
        }
        long started = System.nanoTime();
        copyBack(pg, rows, 0, WRITTEN.length);
        double alone = (System.nanoTime() - started) / 1e9;
        dropBenchTables(pg, true);
        started = System.nanoTime();
        var rest = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                copyBack(pg, rows, 1, WRITTEN.length);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        copyBack(pg, rows, 0, 1);
        rest.join();
        double paired = (System.nanoTime() - started) / 1e9;
        dropBenchTables(pg, false);
        System.out.printf("raw COPY of the %,d interactions and the other rows the import wrote: %,.0f interactions/s on one connection, %,.0f on two%n",
                interactions, interactions / alone, interactions / paired);
        return new double[] {interactions / alone, interactions / paired};
    }

    /** Writes the rows of WRITTEN[from, to) back into their bench_ tables, each by one COPY, on one connection. */
    static void copyBack(EmbeddedPostgres pg, byte[][] rows, int from, int to) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            for (int t = from; t < to; t++) {
                c.unwrap(PGConnection.class).getCopyAPI().copyIn("copy bench_" + WRITTEN[t][0] + " (" + WRITTEN[t][1]
                        + ") from stdin (format binary)", new java.io.ByteArrayInputStream(rows[t]));
            }
        }
    }

    /** Empties the bench_ tables for the next round ({@code keep}), or drops them. */
    static void dropBenchTables(EmbeddedPostgres pg, boolean keep) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String[] t : WRITTEN) s.execute((keep ? "truncate " : "drop table ") + "bench_" + t[0]);
        }
    }

    /**
     * One lookup per user before measuring, so the figures show the steady state: the first lookup of a user loads
     * their ledger into the server's memory, and how long that takes is printed here.
     */
    static void warm(List<String> tokens) throws Exception {
        long started = System.nanoTime();
        for (int u = 0; u < tokens.size(); u++) {
            get("/v1/lookup?url=https%3A%2F%2Fx.com%2Fb" + u + "c0", tokens.get(u));
        }
        System.out.printf("first lookup of each of %d users (loads their ledger): %.1f ms on average%n", tokens.size(),
                (System.nanoTime() - started) / 1e6 / tokens.size());
    }

    /**
     * Requests are built once per wrk thread, a pool of {@link #POOL} drawn at random, and then sent in turn: building
     * a request in Lua for each one (50 URLs joined into a body) would take wrk's share of the two cores, not the
     * server's, and count against the endpoint.
     */
    static final int POOL = 4096;

    static Path lookupScript(Path work, int userCount) throws IOException {
        return pooledScript(work, "lookup", userCount, """
                local c = math.random(contacts) - 1
                return wrk.format("GET", "/v1/lookup?url=https%3A%2F%2Fx.com%2Fb" .. (u - 1) .. "c" .. c,
                                  { ["Authorization"] = "Bearer " .. tokens[u] })
                """);
    }

    static Path batchScript(Path work) throws IOException {
        return pooledScript(work, "batch", users, """
                local urls = {}
                for j = 1, 50 do urls[j] = '"https://x.com/b' .. (u - 1) .. 'c' .. (math.random(contacts) - 1) .. '"' end
                return wrk.format("POST", "/v1/lookup", { ["Authorization"] = "Bearer " .. tokens[u],
                                  ["Content-Type"] = "application/json" }, '{"urls":[' .. table.concat(urls, ",") .. ']}')
                """);
    }

    /**
     * A wrk script that builds {@link #POOL} requests per thread (its own random seed each) and sends them in turn;
     * {@code build} is the body of a Lua function of a random user {@code u} (1-based) that returns one request.
     */
    static Path pooledScript(Path work, String name, int userCount, String build) throws IOException {
        return script(work, name, """
                dofile("%s")
                local users = %d
                local contacts = %d
                local pool = {}
                local n = 0
                local created = 0
                local function build(u)
                %s
                end
                setup = function(thread)
                  created = created + 1
                  thread:set("tid", created)
                end
                init = function(args)
                  math.randomseed(tid)
                  for i = 1, %d do pool[i] = build(math.random(users)) end
                end
                request = function()
                  n = n %% #pool + 1
                  return pool[n]
                end
                """.formatted(work.resolve("tokens.lua"), userCount, contacts, build, POOL));
    }

    static Path simpleScript(Path work, String name, String method, String path, String body) throws IOException {
        return script(work, name, """
                dofile("%s")
                local users = %d
                request = function()
                  local u = math.random(users)
                  return wrk.format("%s", "%s", { ["Authorization"] = "Bearer " .. tokens[u] })
                end
                """.formatted(work.resolve("tokens.lua"), users, method, path));
    }

    static Path writeScript(Path work) throws IOException {
        return script(work, "write", """
                dofile("%s")
                local users = %d
                local contacts = %d
                local counter = 0
                local created = 0
                setup = function(thread)
                  created = created + 1
                  thread:set("tid", created)
                end
                request = function()
                  counter = counter + 1
                  local u = math.random(users)
                  local body = '{"person":{"platform":"x","handle":"b' .. (u - 1) .. 'c' .. (math.random(contacts) - 1)
                               .. '"},"direction":"inbound","kind":"like"}'
                  return wrk.format("POST", "/v1/interactions", { ["Authorization"] = "Bearer " .. tokens[u],
                                    ["Content-Type"] = "application/json", ["Idempotency-Key"] = "wrk-" .. tid .. "-" .. counter }, body)
                end
                """.formatted(work.resolve("tokens.lua"), users, contacts));
    }

    static Path script(Path work, String name, String lua) throws IOException {
        Path p = work.resolve(name + ".lua");
        Files.writeString(p, lua);
        return p;
    }

    static String luaTable(String name, List<String> values) {
        StringBuilder sb = new StringBuilder(name + " = {");
        for (String v : values) sb.append('"').append(v).append("\",");
        return sb.append("}\n").toString();
    }

    /** Runs wrk and returns {req/s, p50, p99}; fails on non-2xx answers so a broken endpoint cannot look fast. */
    static String[] wrk(String name, Path script, String path) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency"));
        if (script != null) cmd.addAll(List.of("-s", script.toString()));
        cmd.add(base + (script == null ? path : "/"));
        // Two seconds of the same load first, not measured, so that every endpoint is measured with its code compiled
        // (the first one run would otherwise pay for the JIT, which flatters the ratios measured against it).
        List<String> warmUp = new ArrayList<>(cmd);
        warmUp.set(3, "-d2s");
        Process w = new ProcessBuilder(warmUp).redirectErrorStream(true).start();
        w.getInputStream().readAllBytes();
        w.waitFor();
        long cpuBefore = serverCpuTicks();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        long cpuTicks = serverCpuTicks() - cpuBefore;
        Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        Matcher p50 = Pattern.compile("\\s50%\\s+([0-9.]+\\w+)").matcher(out);
        Matcher p99 = Pattern.compile("\\s99%\\s+([0-9.]+\\w+)").matcher(out);
        if (!rps.find() || !p50.find() || !p99.find()) throw new IllegalStateException("could not read wrk output:\n" + out);
        if (out.contains("Non-2xx or 3xx responses")) {
            throw new IllegalStateException(name + ": the server answered errors under load:\n" + out);
        }
        Matcher total = Pattern.compile("([0-9]+) requests in").matcher(out);
        // The server process's CPU time per request (user + system, all its threads): unlike req/s, it hardly moves
        // when other work shares the cores, so it compares code across runs on a busy machine.
        String cpu = total.find() ? String.format("%.0f", cpuTicks * (1e6 / CLOCK_TICKS) / Long.parseLong(total.group(1))) : "?";
        System.out.printf("%-14s %10s req/s  p50 %-9s p99 %-9s server CPU %s us/req%s%n", name, rps.group(1), p50.group(1), p99.group(1), cpu, rss());
        return new String[] {rps.group(1), p50.group(1), p99.group(1), cpu};
    }

    static double ms(String latency) {
        Matcher m = Pattern.compile("([0-9.]+)(us|ms|s)").matcher(latency);
        if (!m.matches()) throw new IllegalArgumentException(latency);
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    static Map<?, ?> post(String path, String token, Object body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) b.header("Authorization", "Bearer " + token);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        return JSON.readValue(r.body(), Map.class);
    }

    static void waitReady() throws Exception {
        for (int i = 0; i < 600; i++) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server did not become ready in 60 s");
    }

    /** Kernel clock ticks per second, the unit of /proc/PID/stat's CPU times (100 on Linux). */
    static final double CLOCK_TICKS = 100;

    /** The server process's user + system CPU time so far, in clock ticks. */
    static long serverCpuTicks() {
        try {
            return cpuTicks(Files.readString(Path.of("/proc", Long.toString(serverPid), "stat")));
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The CPU time of the machine's PostgreSQL processes so far, in clock ticks: each one's user + system time, plus
     * that of their children that ended (a backend's, once its connection closed, counts in the postmaster's).
     */
    static long pgCpuTicks() {
        long ticks = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) continue;
                try {
                    if (!Files.readString(p.resolve("comm")).startsWith("postgres")) continue;
                    ticks += cpuTicks(Files.readString(p.resolve("stat")), true);
                } catch (IOException e) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks;
    }

    /** CPU time of the server and of PostgreSQL, in clock ticks: so far ({@link #now}), or spent on some work. */
    record Cpu(long server, long pg) {
        static Cpu now() {
            return new Cpu(serverCpuTicks(), pgCpuTicks());
        }

        Cpu minus(Cpu before) {
            return new Cpu(server - before.server, pg - before.pg);
        }

        Cpu plus(Cpu other) {
            return new Cpu(server + other.server, pg + other.pg);
        }

        /** Microseconds of CPU per row of this much spent: the server's and PostgreSQL's. */
        double[] perRow(long rows) {
            return new double[] {server * (1e6 / CLOCK_TICKS) / rows, pg * (1e6 / CLOCK_TICKS) / rows};
        }

        static String describe(double[] us) {
            return String.format(", CPU per interaction: server %.0f us, PostgreSQL %.0f us", us[0], us[1]);
        }
    }

    /** User + system CPU time, in clock ticks, from the text of a /proc/PID/stat or /proc/PID/task/TID/stat file. */
    static long cpuTicks(String stat) {
        return cpuTicks(stat, false);
    }

    /** The same, plus (with {@code children}) the time of the process's children that ended and were waited for. */
    static long cpuTicks(String stat, boolean children) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return children ? ticks + Long.parseLong(f[13]) + Long.parseLong(f[14]) : ticks;
    }

    /** The server's resident set when last sampled and its peak so far, for the progress lines. */
    static String rss() {
        return String.format(" (server RSS %d MB, peak %d MB)", lastRss.get() / 1024, peakRss.get() / 1024);
    }

    static void sampleRss() {
        Path status = Path.of("/proc", Long.toString(serverPid), "status");
        while (true) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                        peakRss.accumulateAndGet(kb, Math::max);
                        lastRss.set(kb);
                    }
                }
                Thread.sleep(200);
            } catch (Exception e) {
                return;
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static {
        Locale.setDefault(Locale.ROOT);
    }
}
