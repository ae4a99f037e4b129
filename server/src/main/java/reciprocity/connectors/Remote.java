package reciprocity.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import reciprocity.interactions.InteractionService;
import reciprocity.ledger.PersonRef;

/** One platform's notification API: what a sync reads from it since the stored cursor. */
interface Remote {
    /** What one sync found: the account the credentials belong to, new interactions, and the cursor to store. */
    record Fetched(String account, String identityPlatform, String identityHandle, List<InteractionService.Create> items,
                   ObjectNode cursor) {}

    /** The API's public address, or null when the user must give one (a Mastodon instance). */
    String defaultBaseUrl();

    /** The credential fields this platform takes, each required. */
    List<String> credentialFields();

    /**
     * @param session what this remote kept from the connector's last sync (empty at first); it may replace it, and
     *                the connector stores the new one even when the sync then fails
     */
    Fetched fetch(RemoteHttp http, String baseUrl, Map<String, String> credentials, RemoteSession session, JsonNode cursor)
            throws RemoteFailure;

    // ------------------------------------------------------------------------------------------------ helpers

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    static Instant time(JsonNode node, String field) {
        String raw = text(node, field);
        if (raw == null) return null;
        try {
            return OffsetDateTime.parse(raw).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static InteractionService.Create interaction(String platform, String handle, String direction, String kind, String url,
                                                 Instant at, String externalId) {
        return new InteractionService.Create(new PersonRef(null, platform, handle, null), direction, kind, url, null, at, null,
                "connector:" + platform, externalId);
    }

    /** Array elements of a field, or nothing when the field is missing or not an array. */
    static Iterable<JsonNode> elements(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isArray() ? v : List.of();
    }

    /** The body must be an array / object where the API documents one. */
    static JsonNode expectArray(JsonNode body, String where) throws RemoteFailure {
        if (!body.isArray()) throw new RemoteFailure(RemoteFailure.Kind.MALFORMED, where + " did not answer with a JSON array");
        return body;
    }

    static JsonNode expectObject(JsonNode body, String where) throws RemoteFailure {
        if (!body.isObject()) throw new RemoteFailure(RemoteFailure.Kind.MALFORMED, where + " did not answer with a JSON object");
        return body;
    }

    /** An RFC 3339 time from a remote document, or null when it is missing or unreadable. */
    static Instant parseTime(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The later of two times, either of which may be null. */
    static Instant later(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isAfter(b) ? a : b;
    }
}
