package reciprocity.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import reciprocity.interactions.InteractionService;

/**
 * Bluesky (handle + app password). A session (`com.atproto.server.createSession`) is opened once and kept with the
 * connector; later syncs reuse its access token, and when the PDS says it has expired (400 `ExpiredToken` or
 * `InvalidToken`, or a 401) trade the refresh token for a new pair (`com.atproto.server.refreshSession`, Bearer
 * refreshJwt; the old refresh token is then revoked), falling back to a new session when the refresh is refused.
 * createSession is rate limited per account, so logging in on every sync would soon lock the connector out.
 * Then it reads `app.bsky.notification.listNotifications` newest first: like → like, repost → share, follow → follow,
 * mention → mention, reply → comment, quote → share. The user's own replies to others, from
 * `app.bsky.feed.getAuthorFeed` (`posts_with_replies`), are outbound replies. Neither endpoint filters by time, so the
 * cursor is the newest `indexedAt` seen of each (`{notificationsSince, postsSince}`): paging (through the API's
 * `cursor`) stops at the first item not newer than it, or after {@link #MAX_PAGES} pages.
 */
final class BlueskyRemote implements Remote {
    static final int MAX_PAGES = 5;
    static final int PAGE = 50;

    /** An atproto session: the tokens and whose they are. */
    private record Session(String accessJwt, String refreshJwt, String did, String handle) {
        static Session kept(RemoteSession kept) {
            Session s = new Session(kept.get("accessJwt"), kept.get("refreshJwt"), kept.get("did"), kept.get("handle"));
            return s.accessJwt == null || s.refreshJwt == null || s.did == null || s.handle == null ? null : s;
        }

        static Session from(JsonNode body, String what) throws RemoteFailure {
            Remote.expectObject(body, what);
            Session s = new Session(Remote.text(body, "accessJwt"), Remote.text(body, "refreshJwt"), Remote.text(body, "did"),
                    Remote.text(body, "handle"));
            if (s.accessJwt == null || s.refreshJwt == null || s.did == null || s.handle == null) {
                throw new RemoteFailure(RemoteFailure.Kind.MALFORMED, what + " answered without accessJwt, refreshJwt, did and handle");
            }
            return s;
        }

        Map<String, String> values() {
            return Map.of("accessJwt", accessJwt, "refreshJwt", refreshJwt, "did", did, "handle", handle);
        }
    }

    @Override
    public String defaultBaseUrl() {
        return "https://bsky.social";
    }

    @Override
    public List<String> credentialFields() {
        return List.of("identifier", "appPassword");
    }

    @Override
    public Fetched fetch(RemoteHttp http, String baseUrl, Map<String, String> credentials, RemoteSession kept, JsonNode cursor)
            throws RemoteFailure {
        Session session = Session.kept(kept);
        if (session == null) {
            session = createSession(http, baseUrl, credentials, kept);
            return read(http, baseUrl, session, cursor);
        }
        try {
            return read(http, baseUrl, session, cursor);
        } catch (RemoteFailure f) {
            if (!expired(f)) throw f;
        }
        try {
            session = Session.from(http.post(RemoteHttp.uri(baseUrl, "/xrpc/com.atproto.server.refreshSession", Map.of()),
                    Map.of("Authorization", "Bearer " + session.refreshJwt())).body(), "refreshSession");
            kept.replace(session.values());
        } catch (RemoteFailure f) {
            if (f.status != 400 && f.status != 401) throw f; // unavailable or rate limited: a new session would fare no better
            kept.clear();
            session = createSession(http, baseUrl, credentials, kept);
        }
        return read(http, baseUrl, session, cursor);
    }

    /** The access token is past its time or no longer accepted: worth one refresh. */
    private static boolean expired(RemoteFailure f) {
        return f.status == 401 || (f.status == 400 && ("ExpiredToken".equals(f.remoteError) || "InvalidToken".equals(f.remoteError)));
    }

    private static Session createSession(RemoteHttp http, String baseUrl, Map<String, String> credentials, RemoteSession kept)
            throws RemoteFailure {
        Session session = Session.from(http.postJson(RemoteHttp.uri(baseUrl, "/xrpc/com.atproto.server.createSession", Map.of()), Map.of(),
                Map.of("identifier", credentials.get("identifier"), "password", credentials.get("appPassword"))).body(), "createSession");
        kept.replace(session.values());
        return session;
    }

    private static Fetched read(RemoteHttp http, String baseUrl, Session session, JsonNode cursor) throws RemoteFailure {
        String did = session.did();
        String handle = session.handle();
        Map<String, String> auth = Map.of("Authorization", "Bearer " + session.accessJwt());
        List<InteractionService.Create> items = new ArrayList<>();

        Instant noteSince = Remote.parseTime(Remote.text(cursor, "notificationsSince"));
        Instant newestNote = noteSince;
        for (JsonNode n : pages(http, baseUrl, "/xrpc/app.bsky.notification.listNotifications", Map.of(), "notifications", auth, noteSince)) {
            newestNote = Remote.later(newestNote, Remote.time(n, "indexedAt"));
            inbound(n, did).ifPresent(items::add);
        }
        Instant postSince = Remote.parseTime(Remote.text(cursor, "postsSince"));
        Instant newestPost = postSince;
        for (JsonNode item : pages(http, baseUrl, "/xrpc/app.bsky.feed.getAuthorFeed",
                Map.of("actor", did, "filter", "posts_with_replies"), "feed", auth, postSince)) {
            newestPost = Remote.later(newestPost, Remote.time(item.get("post"), "indexedAt"));
            outbound(item, did).ifPresent(items::add);
        }
        ObjectNode next = JsonNodeFactory.instance.objectNode();
        if (newestNote != null) next.put("notificationsSince", newestNote.toString());
        if (newestPost != null) next.put("postsSince", newestPost.toString());
        return new Fetched("@" + handle, "bluesky", handle.toLowerCase(Locale.ROOT), items, next);
    }

    private static List<JsonNode> pages(RemoteHttp http, String base, String path, Map<String, String> params, String field,
                                        Map<String, String> auth, Instant since) throws RemoteFailure {
        List<JsonNode> all = new ArrayList<>();
        String pageCursor = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            Map<String, String> q = RemoteHttp.query("limit", Integer.toString(PAGE), "cursor", pageCursor);
            q.putAll(params);
            JsonNode body = Remote.expectObject(http.get(RemoteHttp.uri(base, path, q), auth).body(), path.substring(path.lastIndexOf('/') + 1));
            JsonNode list = body.get(field);
            if (list == null || !list.isArray()) {
                throw new RemoteFailure(RemoteFailure.Kind.MALFORMED, path.substring(path.lastIndexOf('/') + 1) + " answered without a `" + field + "` array");
            }
            boolean reachedKnown = false;
            for (JsonNode n : list) {
                Instant at = Remote.time("feed".equals(field) ? n.get("post") : n, "indexedAt");
                if (since != null && at != null && !at.isAfter(since)) {
                    reachedKnown = true;
                    break;
                }
                all.add(n);
            }
            pageCursor = Remote.text(body, "cursor");
            if (reachedKnown || pageCursor == null || list.size() < PAGE) break;
        }
        return all;
    }

    private static Optional<InteractionService.Create> inbound(JsonNode n, String myDid) {
        String reason = Remote.text(n, "reason");
        String kind = switch (reason == null ? "" : reason) {
            case "like", "repost", "quote" -> "like".equals(reason) ? "like" : "share";
            case "follow" -> "follow";
            case "mention" -> "mention";
            case "reply" -> "comment";
            default -> null;
        };
        JsonNode author = n.get("author");
        String who = who(author);
        Instant at = Remote.time(n, "indexedAt");
        String uri = Remote.text(n, "uri");
        if (kind == null || who == null || at == null || uri == null || myDid.equals(Remote.text(author, "did"))) return Optional.empty();
        // Their post for a reply, mention or quote; your post for a like or repost; their profile for a follow.
        String url = switch (kind) {
            case "like", "follow" -> null;
            default -> "repost".equals(reason) ? null : postUrl(uri, who);
        };
        if (url == null && !"follow".equals(kind)) url = postUrl(Remote.text(n, "reasonSubject"), null);
        if (url == null) url = "https://bsky.app/profile/" + who;
        return Optional.of(Remote.interaction("bluesky", who, "inbound", kind, url, at, "bluesky:notification:" + uri));
    }

    private static Optional<InteractionService.Create> outbound(JsonNode item, String myDid) {
        JsonNode post = item.get("post");
        if (post == null || !myDid.equals(Remote.text(post.get("author"), "did"))) return Optional.empty(); // a repost of someone's post
        JsonNode record = post.get("record");
        if (record == null || record.get("reply") == null) return Optional.empty();
        JsonNode reply = item.get("reply");
        JsonNode parentAuthor = reply == null || reply.get("parent") == null ? null : reply.get("parent").get("author");
        String to = who(parentAuthor);
        Instant at = Remote.time(record, "createdAt");
        if (at == null) at = Remote.time(post, "indexedAt");
        String uri = Remote.text(post, "uri");
        if (to == null || at == null || uri == null || myDid.equals(Remote.text(parentAuthor, "did"))) return Optional.empty();
        return Optional.of(Remote.interaction("bluesky", to, "outbound", "reply", postUrl(uri, null), at, "bluesky:post:" + uri));
    }

    /** The handle, or the DID when the handle no longer resolves (`handle.invalid`). */
    private static String who(JsonNode author) {
        String handle = Remote.text(author, "handle");
        if (handle != null && !"handle.invalid".equals(handle)) return handle.toLowerCase(Locale.ROOT);
        return Remote.text(author, "did");
    }

    /** `at://did/app.bsky.feed.post/rkey` → `https://bsky.app/profile/<handle or did>/post/rkey`. */
    static String postUrl(String atUri, String handle) {
        if (atUri == null || !atUri.startsWith("at://")) return null;
        String[] parts = atUri.substring(5).split("/");
        if (parts.length != 3 || !"app.bsky.feed.post".equals(parts[1])) return null;
        return "https://bsky.app/profile/" + (handle != null ? handle : parts[0]) + "/post/" + parts[2];
    }
}
