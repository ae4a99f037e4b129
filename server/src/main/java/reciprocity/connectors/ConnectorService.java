package reciprocity.connectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reciprocity.Config;
import reciprocity.account.AccountService;
import reciprocity.account.Settings;
import reciprocity.interactions.InteractionService;
import reciprocity.ledger.Ledger;
import reciprocity.platforms.LinkParser;
import reciprocity.platforms.Platform;
import reciprocity.web.ApiProblem;
import reciprocity.web.Cursors;
import reciprocity.db.Rows;
import reciprocity.web.Page;
import reciprocity.web.Pages;

/**
 * Connectors: rows with sealed credentials, and one scheduler that claims due connectors and runs each sync on a small
 * pool. A sync reads what is new since the connector's cursor, records it through {@link Ledger#recordBulk}
 * (idempotent on externalId) and stores the new cursor in the same transaction. A failing remote moves only its own
 * connector to `error` or `backoff` with exponential delay (never sooner than its Retry-After); nothing stops the loop.
 */
public final class ConnectorService implements AutoCloseable {
    public static final int MAX_PER_USER = 20;
    static final Duration MAX_BACKOFF = Duration.ofHours(24);
    static final Duration STALE_CLAIM = Duration.ofMinutes(15);
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorService.class);
    private static final TypeReference<TreeMap<String, String>> CREDENTIALS = new TypeReference<>() {};
    private static final Map<String, Remote> REMOTES = Map.of(
            "mastodon", new MastodonRemote(), "bluesky", new BlueskyRemote(), "github", new GitHubRemote());

    /** `POST /v1/connectors`. */
    public record Create(String type, String baseUrl, Map<String, String> credentials) {}

    private record Claimed(long id, long userId, String type, String baseUrl, byte[] sealed, JsonNode cursor, int failures) {}

    private final Jdbi jdbi;
    private final Ledger ledger;
    private final AccountService accounts;
    private final ObjectMapper json;
    private final Clock clock;
    private final Cursors cursors;
    private final CredentialVault vault;
    private final Config.Connectors config;
    private final PublicHosts hosts;
    private final RemoteHttp http;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("reciprocity-connector-tick"));
    private volatile boolean closing;

    public ConnectorService(Jdbi jdbi, Ledger ledger, AccountService accounts, ObjectMapper json, Clock clock, Cursors cursors,
                            CredentialVault vault, Config.Connectors config) {
        this.jdbi = jdbi;
        this.ledger = ledger;
        this.accounts = accounts;
        this.json = json;
        this.clock = clock;
        this.cursors = cursors;
        this.vault = vault;
        this.config = config;
        this.hosts = new PublicHosts(config.allowPrivateNetworks());
        this.http = new RemoteHttp(config.requestTimeout(), clock, hosts);
        this.workers = (ThreadPoolExecutor) Executors.newFixedThreadPool(2, daemon("reciprocity-connector-sync"));
        long tick = Math.max(200, Math.min(30_000, config.syncInterval().toMillis() / 10));
        scheduler.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
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

    public ConnectorView create(long userId, Create c) {
        Remote remote = c.type() == null ? null : REMOTES.get(c.type());
        if (remote == null) throw ApiProblem.badRequest("type", "type must be one of mastodon, bluesky, github");
        String baseUrl = baseUrl(c.baseUrl() != null ? c.baseUrl() : remote.defaultBaseUrl());
        TreeMap<String, String> credentials = credentials(remote, c.credentials());
        byte[] sealed;
        try {
            sealed = vault.seal(json.writeValueAsBytes(credentials), context(userId, c.type()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Instant now = clock.instant();
        long id = jdbi.inTransaction(h -> {
            // Serialise this user's creates so the cap holds under concurrency.
            h.createQuery("select id from users where id = :u for update").bind("u", userId).mapTo(Long.class).findOne();
            int count = h.createQuery("select count(*) from connectors where user_id = :u").bind("u", userId).mapTo(Integer.class).one();
            if (count >= MAX_PER_USER) throw ApiProblem.conflict("An account may have at most " + MAX_PER_USER + " connectors; delete one first");
            return h.createUpdate("""
                            insert into connectors (user_id, type, base_url, credentials, next_sync_at, created_at)
                            values (:u, :t, :b, :c, :now, :now)""")
                    .bind("u", userId).bind("t", c.type()).bind("b", baseUrl).bind("c", sealed).bind("now", now)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        });
        return get(userId, id);
    }

    public ConnectorView get(long userId, long id) {
        return jdbi.withHandle(h -> h.createQuery("select * from connectors where user_id = :u and id = :id")
                        .bind("u", userId).bind("id", id).map((rs, ctx) -> view(rs)).findOne())
                .orElseThrow(() -> ApiProblem.notFound("Connector " + id));
    }

    public Page<ConnectorView> list(long userId, String cursor, int limit) {
        return Pages.newestFirst(jdbi, cursors, userId, "connectors", cursor, limit, (rs, ctx) -> view(rs), ConnectorView::id);
    }

    /** Deletes the connector and its credentials; what it recorded stays in the ledger. */
    public void delete(long userId, long id) {
        int n = jdbi.withHandle(h -> h.createUpdate("delete from connectors where user_id = :u and id = :id")
                .bind("u", userId).bind("id", id).execute());
        if (n == 0) throw ApiProblem.notFound("Connector " + id);
    }

    /**
     * Starts a sync now, unless one is running (then that one counts) or the remote asked us to wait (Retry-After):
     * then the sync is due when the wait ends and `nextSyncAt` says so.
     */
    public ConnectorView syncNow(long userId, long id) {
        Instant now = clock.instant();
        List<Claimed> claimed = jdbi.withHandle(h -> h.createQuery("""
                        update connectors set running_since = :now
                        where user_id = :u and id = :id and (not_before is null or not_before <= :now)
                          and (running_since is null or running_since < :stale)
                        returning id, user_id, type, base_url, credentials, sync_cursor, failures""")
                .bind("now", now).bind("u", userId).bind("id", id).bind("stale", now.minus(STALE_CLAIM))
                .map((rs, ctx) -> claimed(rs)).list());
        ConnectorView view = get(userId, id);
        claimed.forEach(this::submit);
        return view;
    }

    // ------------------------------------------------------------------------------------------------ the loop

    private void tick() {
        if (closing) return;
        try {
            int free = Math.max(0, workers.getMaximumPoolSize() * 2 - workers.getQueue().size() - workers.getActiveCount());
            if (free == 0) return;
            Instant now = clock.instant();
            List<Claimed> due = jdbi.withHandle(h -> h.createQuery("""
                            update connectors set running_since = :now where id in (
                              select id from connectors
                              where next_sync_at <= :now and (running_since is null or running_since < :stale)
                              order by next_sync_at limit :n for update skip locked)
                            returning id, user_id, type, base_url, credentials, sync_cursor, failures""")
                    .bind("now", now).bind("stale", now.minus(STALE_CLAIM)).bind("n", free)
                    .map((rs, ctx) -> claimed(rs)).list());
            due.forEach(this::submit);
        } catch (RuntimeException e) {
            LOG.warn("connector scheduler: {}", e.getMessage());
        }
    }

    private void submit(Claimed c) {
        try {
            workers.execute(() -> run(c));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping: the claim goes stale and the next start takes it over
        }
    }

    /** One sync, isolated: whatever happens ends in this connector's row, never in the loop or another connector. */
    void run(Claimed c) {
        Instant started = clock.instant();
        try {
            Remote remote = c.type() == null ? null : REMOTES.get(c.type());
            Map<String, String> credentials = new TreeMap<>();
            RemoteSession session = RemoteSession.split(json.readValue(vault.open(c.sealed(), context(c.userId(), c.type())), CREDENTIALS),
                    credentials);
            Remote.Fetched fetched;
            try {
                fetched = remote.fetch(http, c.baseUrl(), credentials, session, c.cursor());
            } finally {
                if (session.changed()) keep(c, credentials, session);
            }
            jdbi.useTransaction(h -> write(h, c, fetched, started));
        } catch (RemoteFailure f) {
            failed(c, started, f.kind.needsAttention ? "error" : "backoff", f.getMessage(), f.retryAfter);
        } catch (Exception e) {
            if (closing) {
                release(c);
                return;
            }
            // The message may come from anywhere; only the class goes to the log so no credential can leak there.
            LOG.warn("connector {} sync failed: {}", c.id(), e.getClass().getName());
            String why = e instanceof IllegalStateException && String.valueOf(e.getMessage()).contains("connector key")
                    ? e.getMessage() : "The sync stopped on an internal error; it will be retried";
            failed(c, started, "error", why, null);
        }
    }

    /** Seals the remote's new session with the credentials; a connector deleted meanwhile stays deleted. */
    private void keep(Claimed c, Map<String, String> credentials, RemoteSession session) {
        try {
            byte[] sealed = vault.seal(json.writeValueAsBytes(session.joined(credentials)), context(c.userId(), c.type()));
            jdbi.useHandle(h -> h.createUpdate("update connectors set credentials = :c where id = :id")
                    .bind("c", sealed).bind("id", c.id()).execute());
        } catch (JsonProcessingException | RuntimeException e) {
            // The next sync logs in again; only the class goes to the log so no token can leak there.
            LOG.warn("connector {}: could not keep its session: {}", c.id(), e.getClass().getName());
        }
    }

    private void write(Handle h, Claimed c, Remote.Fetched fetched, Instant started) {
        boolean exists = h.createQuery("select id from connectors where id = :id for update").bind("id", c.id())
                .mapTo(Long.class).findOne().isPresent();
        if (!exists) return; // deleted while it synced
        identity(h, c.userId(), fetched.identityPlatform(), fetched.identityHandle(), started);
        Settings settings = accounts.settings(c.userId());
        Instant now = clock.instant();
        long created = 0, duplicates = 0, errors = 0;
        List<Ledger.NewInteraction> valid = new ArrayList<>();
        for (InteractionService.Create item : fetched.items()) {
            try {
                valid.add(InteractionService.validate(item, now, ""));
            } catch (ApiProblem p) {
                errors++;
            }
        }
        for (int from = 0; from < valid.size(); from += InteractionService.MAX_BATCH) {
            List<Ledger.NewInteraction> chunk = valid.subList(from, Math.min(valid.size(), from + InteractionService.MAX_BATCH));
            for (Ledger.BulkResult r : ledger.recordBulk(h, c.userId(), settings, chunk, now)) {
                switch (r.status()) {
                    case "created" -> created++;
                    case "duplicate" -> duplicates++;
                    default -> errors++;
                }
            }
        }
        String cursor;
        try {
            cursor = json.writeValueAsString(mergedCursor(c.cursor(), fetched.cursor()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        h.createUpdate("""
                        update connectors set account = :account, sync_cursor = cast(:cursor as jsonb), state = 'ok', failures = 0,
                          created = created + :c, duplicates = duplicates + :d, errors = errors + :e, last_error = null,
                          running_since = null, not_before = null, last_sync_at = :started, last_success_at = :started,
                          next_sync_at = :next
                        where id = :id""")
                .bind("account", clip(fetched.account(), 300)).bind("cursor", cursor).bind("c", created).bind("d", duplicates)
                .bind("e", errors).bind("started", started).bind("next", started.plus(config.syncInterval())).bind("id", c.id())
                .execute();
    }

    private static JsonNode mergedCursor(JsonNode old, JsonNode fresh) {
        com.fasterxml.jackson.databind.node.ObjectNode merged = old != null && old.isObject()
                ? ((com.fasterxml.jackson.databind.node.ObjectNode) old).deepCopy()
                : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        merged.setAll((com.fasterxml.jackson.databind.node.ObjectNode) fresh);
        return merged;
    }

    private void identity(Handle h, long userId, String platform, String handle, Instant now) {
        String canonical;
        try {
            canonical = LinkParser.canonicalHandle(Platform.fromId(platform).orElseThrow(), handle);
        } catch (RuntimeException e) {
            return; // a handle we cannot store is not worth failing the sync for
        }
        h.createUpdate("""
                        insert into identities (user_id, platform, handle, created_at) values (:u, :p, :h, :now)
                        on conflict (user_id, platform, handle) do nothing""")
                .bind("u", userId).bind("p", platform).bind("h", canonical).bind("now", now).execute();
    }

    private void failed(Claimed c, Instant started, String state, String message, Duration retryAfter) {
        int failures = Math.min(c.failures() + 1, 30);
        Duration backoff = config.syncInterval().multipliedBy(1L << Math.min(failures - 1, 16));
        if (backoff.compareTo(MAX_BACKOFF) > 0) backoff = MAX_BACKOFF;
        Instant notBefore = retryAfter == null ? null : started.plus(retryAfter);
        Instant next = started.plus(backoff);
        if (notBefore != null && notBefore.isAfter(next)) next = notBefore;
        Instant nextSync = next;
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                            update connectors set state = :s, failures = :f, last_error = :why, running_since = null,
                              not_before = :nb, last_sync_at = :started, next_sync_at = :next
                            where id = :id""")
                    .bind("s", state).bind("f", failures).bind("why", clip(message, 500)).bind("nb", notBefore)
                    .bind("started", started).bind("next", nextSync).bind("id", c.id()).execute());
        } catch (RuntimeException e) {
            LOG.warn("connector {}: could not store its failure: {}", c.id(), e.getMessage());
        }
    }

    private void release(Claimed c) {
        try {
            jdbi.useHandle(h -> h.createUpdate("update connectors set running_since = null where id = :id").bind("id", c.id()).execute());
        } catch (RuntimeException ignored) {
            // the claim goes stale
        }
    }

    // ------------------------------------------------------------------------------------------------ checks

    /**
     * A URL that is not one (400), or one the server will not call (422): another scheme than https (http when
     * allowed), a user name or password in it, or a host that resolves to a non-public address. A host that does not
     * resolve now is accepted; every request of every sync checks it again.
     */
    private String baseUrl(String raw) {
        if (raw == null || raw.isBlank()) throw ApiProblem.badRequest("baseUrl", "baseUrl is required for this type (your instance, e.g. https://mastodon.social)");
        if (raw.length() > 2048) throw ApiProblem.badRequest("baseUrl", "baseUrl is longer than 2048 characters");
        URI uri;
        try {
            uri = new URI(raw.strip());
        } catch (URISyntaxException e) {
            throw ApiProblem.badRequest("baseUrl", "baseUrl must be an https URL such as https://mastodon.social");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && config.allowHttp())) {
            throw ApiProblem.unprocessable("baseUrl", "baseUrl must be an https URL such as https://mastodon.social"
                    + (scheme.isEmpty() ? "" : ", not " + scheme + ":") + "; " + PublicHosts.ONLY_PUBLIC);
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiProblem.unprocessable("baseUrl", "baseUrl must not carry a user name or password (they go in credentials)");
        }
        if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw ApiProblem.badRequest("baseUrl", "baseUrl must be an https URL with a host and no user, query or fragment, such as https://mastodon.social");
        }
        try {
            java.util.Optional<String> refusal = hosts.refusal(uri);
            if (refusal.isPresent()) throw ApiProblem.unprocessable("baseUrl", "baseUrl " + refusal.get() + "; " + PublicHosts.ONLY_PUBLIC);
        } catch (java.net.UnknownHostException e) {
            // Perhaps a passing DNS failure; the sync resolves it again before every request and refuses it then.
        }
        String s = uri.toString();
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        return s;
    }

    private static TreeMap<String, String> credentials(Remote remote, Map<String, String> given) {
        String expected = String.join(", ", remote.credentialFields());
        if (given == null) throw ApiProblem.badRequest("credentials", "credentials are required: {" + expected + "}");
        TreeMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (!remote.credentialFields().contains(e.getKey())) {
                throw ApiProblem.badRequest("credentials", "credentials for this type take only {" + expected + "}");
            }
        }
        for (String field : remote.credentialFields()) {
            String v = given.get(field);
            if (v == null || v.isBlank()) throw ApiProblem.badRequest("credentials." + field, "credentials." + field + " is required");
            if (v.length() > 4096) throw ApiProblem.badRequest("credentials." + field, "credentials." + field + " is longer than 4096 characters");
            if (v.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
                throw ApiProblem.badRequest("credentials." + field, "credentials." + field + " must not contain control characters");
            }
            out.put(field, v.strip());
        }
        return out;
    }

    /** Sealed credentials open only for the user and type they were sealed for. */
    private static String context(long userId, String type) {
        return "reciprocity-connector:" + userId + ":" + type;
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private Claimed claimed(ResultSet rs) throws SQLException {
        JsonNode cursor;
        try {
            cursor = json.readTree(rs.getString("sync_cursor"));
        } catch (JsonProcessingException e) {
            cursor = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        return new Claimed(rs.getLong("id"), rs.getLong("user_id"), rs.getString("type"), rs.getString("base_url"),
                rs.getBytes("credentials"), cursor, rs.getInt("failures"));
    }

    private static ConnectorView view(ResultSet rs) throws SQLException {
        String state = rs.getObject("running_since") != null ? "syncing" : rs.getString("state");
        return new ConnectorView(rs.getLong("id"), rs.getString("type"), rs.getString("base_url"), rs.getString("account"), state,
                Rows.instant(rs, "last_sync_at"), Rows.instant(rs, "last_success_at"), Rows.instant(rs, "next_sync_at"),
                new ConnectorView.Counts(rs.getLong("created"), rs.getLong("duplicates"), rs.getLong("errors")),
                rs.getString("last_error"), Rows.instant(rs, "created_at"));
    }

    @Override
    public void close() {
        closing = true;
        scheduler.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
