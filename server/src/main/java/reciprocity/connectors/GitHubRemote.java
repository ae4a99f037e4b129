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
import java.util.Optional;
import reciprocity.interactions.InteractionService;

/**
 * GitHub (a token that may read notifications), kept modest. Inbound: `GET /notifications?all=true&since=…` threads
 * whose reason is `mention`, `team_mention`, `comment` or `author`; for each, the latest comment
 * (`subject.latest_comment_url`, at most {@link #MAX_COMMENTS} fetched a sync) is an inbound mention (for the mention
 * reasons) or comment by its author, unless you wrote it. Outbound: your public `IssueCommentEvent`s and
 * `PullRequestReviewCommentEvent`s (`GET /users/{login}/events`) on an issue or pull request someone else opened are
 * outbound comments to its author. Cursor: `{notificationsSince, eventsSince}` (RFC 3339; the first is sent as
 * `since`, the events feed has no filter so reading stops at the first event not newer).
 */
final class GitHubRemote implements Remote {
    static final int MAX_COMMENTS = 30;
    static final int PAGE = 50;

    @Override
    public String defaultBaseUrl() {
        return "https://api.github.com";
    }

    @Override
    public List<String> credentialFields() {
        return List.of("token");
    }

    @Override
    public Fetched fetch(RemoteHttp http, String baseUrl, Map<String, String> credentials, RemoteSession session, JsonNode cursor)
            throws RemoteFailure {
        Map<String, String> auth = Map.of("Authorization", "Bearer " + credentials.get("token"),
                "Accept", "application/vnd.github+json", "X-GitHub-Api-Version", "2022-11-28");
        JsonNode user = Remote.expectObject(http.get(RemoteHttp.uri(baseUrl, "/user", Map.of()), auth).body(), "/user");
        String login = Remote.text(user, "login");
        if (login == null) throw new RemoteFailure(RemoteFailure.Kind.MALFORMED, "/user answered without a login");
        String me = login.toLowerCase(Locale.ROOT);
        List<InteractionService.Create> items = new ArrayList<>();

        String since = Remote.text(cursor, "notificationsSince");
        Instant newestNote = Remote.parseTime(since);
        JsonNode threads = Remote.expectArray(http.get(RemoteHttp.uri(baseUrl, "/notifications",
                RemoteHttp.query("all", "true", "per_page", Integer.toString(PAGE), "since", since)), auth).body(), "/notifications");
        int fetched = 0;
        for (JsonNode t : threads) {
            newestNote = Remote.later(newestNote, Remote.time(t, "updated_at"));
            String reason = Remote.text(t, "reason");
            if (!List.of("mention", "team_mention", "comment", "author").contains(String.valueOf(reason))) continue;
            String commentUrl = Remote.text(t.get("subject"), "latest_comment_url");
            if (commentUrl == null || fetched >= MAX_COMMENTS) continue;
            URI uri = sameHost(baseUrl, commentUrl);
            if (uri == null) continue; // never send the token to a host other than the configured API
            fetched++;
            JsonNode comment = Remote.expectObject(http.get(uri, auth).body(), "the latest comment");
            String who = lower(Remote.text(comment.get("user"), "login"));
            Instant at = Remote.time(comment, "created_at");
            String html = Remote.text(comment, "html_url");
            if (who == null || who.equals(me) || at == null || who.endsWith("[bot]")) continue;
            String kind = reason.endsWith("mention") ? "mention" : "comment";
            items.add(Remote.interaction("github", who, "inbound", kind, html, at, "github:comment:" + uri.getPath()));
        }

        Instant eventsSince = Remote.parseTime(Remote.text(cursor, "eventsSince"));
        Instant newestEvent = eventsSince;
        JsonNode events = Remote.expectArray(http.get(RemoteHttp.uri(baseUrl, "/users/" + login + "/events",
                RemoteHttp.query("per_page", "100")), auth).body(), "/users/{login}/events");
        for (JsonNode e : events) {
            Instant at = Remote.time(e, "created_at");
            if (eventsSince != null && at != null && !at.isAfter(eventsSince)) break; // newest first
            newestEvent = Remote.later(newestEvent, at);
            outbound(e, me).ifPresent(items::add);
        }
        ObjectNode next = JsonNodeFactory.instance.objectNode();
        if (newestNote != null) next.put("notificationsSince", newestNote.toString());
        if (newestEvent != null) next.put("eventsSince", newestEvent.toString());
        return new Fetched("@" + login, "github", me, items, next);
    }

    private static Optional<InteractionService.Create> outbound(JsonNode e, String me) {
        String type = Remote.text(e, "type");
        JsonNode payload = e.get("payload");
        if (payload == null || !("IssueCommentEvent".equals(type) || "PullRequestReviewCommentEvent".equals(type))) return Optional.empty();
        if (payload.has("action") && !"created".equals(Remote.text(payload, "action"))) return Optional.empty();
        JsonNode comment = payload.get("comment");
        JsonNode target = payload.has("issue") ? payload.get("issue") : payload.get("pull_request");
        String to = lower(Remote.text(target == null ? null : target.get("user"), "login"));
        Instant at = Remote.time(comment, "created_at");
        String id = Remote.text(comment, "id");
        if (to == null || to.equals(me) || to.endsWith("[bot]") || at == null || id == null) return Optional.empty();
        return Optional.of(Remote.interaction("github", to, "outbound", "comment", Remote.text(comment, "html_url"), at,
                "github:my-comment:" + id));
    }

    private static URI sameHost(String base, String url) {
        try {
            URI b = URI.create(base), u = URI.create(url);
            return b.getHost() != null && b.getHost().equalsIgnoreCase(u.getHost()) && b.getPort() == u.getPort()
                    && b.getScheme().equalsIgnoreCase(u.getScheme()) ? u : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
