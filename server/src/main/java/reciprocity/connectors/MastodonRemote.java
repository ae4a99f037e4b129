package reciprocity.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import reciprocity.interactions.InteractionService;

/**
 * Mastodon (instance URL + access token with `read` scope). `GET /api/v1/notifications` since the newest id seen:
 * a mention is an inbound mention (a comment when it replies to a status), a favourite a like, a reblog a share, a
 * follow a follow. The user's own statuses (`/api/v1/accounts/{id}/statuses`) that reply to someone else are outbound
 * replies. Cursor: `{notificationsSince, statusesSince}` (ids, sent as `since_id`). The first sync reads at most
 * {@link #MAX_PAGES} pages of each.
 */
final class MastodonRemote implements Remote {
    static final int MAX_PAGES = 5;
    static final int PAGE = 40;

    @Override
    public String defaultBaseUrl() {
        return null;
    }

    @Override
    public List<String> credentialFields() {
        return List.of("accessToken");
    }

    @Override
    public Fetched fetch(RemoteHttp http, String baseUrl, Map<String, String> credentials, RemoteSession session, JsonNode cursor)
            throws RemoteFailure {
        Map<String, String> auth = Map.of("Authorization", "Bearer " + credentials.get("accessToken"));
        JsonNode me = Remote.expectObject(http.get(RemoteHttp.uri(baseUrl, "/api/v1/accounts/verify_credentials", Map.of()), auth).body(),
                "verify_credentials");
        String myId = Remote.text(me, "id");
        String myHandle = handle(me);
        if (myId == null || myHandle == null) {
            throw new RemoteFailure(RemoteFailure.Kind.MALFORMED, "verify_credentials answered without the account's id and acct");
        }
        List<InteractionService.Create> items = new ArrayList<>();
        String host = URI.create(baseUrl).getHost();
        String noteSince = Remote.text(cursor, "notificationsSince");
        String newestNote = noteSince;
        for (JsonNode n : pages(http, baseUrl, "/api/v1/notifications", auth, noteSince, "notifications")) {
            newestNote = newer(newestNote, Remote.text(n, "id"));
            inbound(n, host).ifPresent(items::add);
        }
        String statusSince = Remote.text(cursor, "statusesSince");
        String newestStatus = statusSince;
        for (JsonNode s : pages(http, baseUrl, "/api/v1/accounts/" + enc(myId) + "/statuses", auth, statusSince, "statuses")) {
            newestStatus = newer(newestStatus, Remote.text(s, "id"));
            outbound(s, myId, host).ifPresent(items::add);
        }
        ObjectNode next = JsonNodeFactory.instance.objectNode();
        if (newestNote != null) next.put("notificationsSince", newestNote);
        if (newestStatus != null) next.put("statusesSince", newestStatus);
        return new Fetched("@" + myHandle, "mastodon", myHandle, items, next);
    }

    /** Newest first, `since_id` = the stored cursor; older pages through `max_id` until a short page or the cap. */
    private static List<JsonNode> pages(RemoteHttp http, String base, String path, Map<String, String> auth, String since, String what)
            throws RemoteFailure {
        List<JsonNode> all = new ArrayList<>();
        String maxId = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode body = Remote.expectArray(http.get(RemoteHttp.uri(base, path,
                    RemoteHttp.query("limit", Integer.toString(PAGE), "since_id", since, "max_id", maxId)), auth).body(), what);
            String oldest = null;
            for (JsonNode n : body) {
                all.add(n);
                String id = Remote.text(n, "id");
                if (id != null && (oldest == null || newer(id, oldest).equals(oldest))) oldest = id;
            }
            if (body.size() < PAGE || oldest == null) break;
            maxId = oldest;
        }
        return all;
    }

    private static java.util.Optional<InteractionService.Create> inbound(JsonNode n, String host) {
        String type = Remote.text(n, "type");
        JsonNode status = n.get("status");
        String kind = switch (type == null ? "" : type) {
            case "mention" -> status != null && Remote.text(status, "in_reply_to_id") != null ? "comment" : "mention";
            case "favourite" -> "like";
            case "reblog" -> "share";
            case "follow" -> "follow";
            default -> null;
        };
        String who = handle(n.get("account"));
        Instant at = Remote.time(n, "created_at");
        String id = Remote.text(n, "id");
        if (kind == null || who == null || at == null || id == null) return java.util.Optional.empty();
        String url = status == null ? Remote.text(n.get("account"), "url") : Remote.text(status, "url");
        return java.util.Optional.of(Remote.interaction("mastodon", who, "inbound", kind, url, at,
                "mastodon:" + host + ":notification:" + id));
    }

    private static java.util.Optional<InteractionService.Create> outbound(JsonNode s, String myId, String host) {
        String to = Remote.text(s, "in_reply_to_account_id");
        if (Remote.text(s, "in_reply_to_id") == null || to == null || to.equals(myId)) return java.util.Optional.empty();
        for (JsonNode m : Remote.elements(s, "mentions")) {
            if (to.equals(Remote.text(m, "id"))) {
                String who = handle(m);
                Instant at = Remote.time(s, "created_at");
                if (who == null || at == null) return java.util.Optional.empty();
                return java.util.Optional.of(Remote.interaction("mastodon", who, "outbound", "reply", Remote.text(s, "url"), at,
                        "mastodon:" + host + ":status:" + Remote.text(s, "id")));
            }
        }
        return java.util.Optional.empty();
    }

    /** `user@host`: a local account's acct has no host, so it comes from its profile URL. */
    static String handle(JsonNode account) {
        String acct = Remote.text(account, "acct");
        if (acct == null) return null;
        if (acct.contains("@")) return acct.toLowerCase(Locale.ROOT);
        String url = Remote.text(account, "url");
        try {
            String host = url == null ? null : URI.create(url).getHost();
            return host == null ? null : (acct + "@" + host).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Mastodon ids are decimal strings that grow with time: longer is newer, then lexical order. */
    static String newer(String a, String b) {
        if (a == null) return b;
        if (b == null) return a;
        if (a.length() != b.length()) return a.length() > b.length() ? a : b;
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
