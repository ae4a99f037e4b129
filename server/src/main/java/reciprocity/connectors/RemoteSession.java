package reciprocity.connectors;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a remote keeps between syncs of one connector (Bluesky's session tokens), so a sync need not log in again.
 * It is stored sealed together with the connector's credentials, each key prefixed with {@link #PREFIX}; a sync saves
 * it when it changed, whether the sync then succeeded or not (a refresh token may be good for one use only).
 */
final class RemoteSession {
    static final String PREFIX = "session.";

    private Map<String, String> values;
    private boolean changed;

    RemoteSession(Map<String, String> stored) {
        this.values = Map.copyOf(stored);
    }

    String get(String key) {
        return values.get(key);
    }

    Map<String, String> values() {
        return values;
    }

    void replace(Map<String, String> fresh) {
        values = Map.copyOf(fresh);
        changed = true;
    }

    void clear() {
        if (values.isEmpty()) return;
        values = Map.of();
        changed = true;
    }

    boolean changed() {
        return changed;
    }

    /** Stored secrets → the credentials the user gave (left in {@code credentials}) and the session (returned). */
    static RemoteSession split(Map<String, String> stored, Map<String, String> credentials) {
        Map<String, String> session = new TreeMap<>();
        stored.forEach((k, v) -> {
            if (k.startsWith(PREFIX)) session.put(k.substring(PREFIX.length()), v);
            else credentials.put(k, v);
        });
        return new RemoteSession(session);
    }

    /** The credentials and this session as one map to seal. */
    TreeMap<String, String> joined(Map<String, String> credentials) {
        TreeMap<String, String> all = new TreeMap<>(credentials);
        values.forEach((k, v) -> all.put(PREFIX + k, v));
        return all;
    }
}
