package reciprocity.account;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reciprocity.web.ApiProblem;

/** How a user's ledger is computed: reply window, decay half-life, give-back threshold and per-kind weights. */
public record Settings(int replyWindowHours, double halfLifeDays, double giveBackThreshold, Map<String, Double> weights,
                       List<String> mastodonInstances) {
    public static final List<String> KINDS = List.of("comment", "reply", "mention", "message", "like", "share",
            "endorsement", "recommendation", "follow", "other");
    public static final Map<String, Double> DEFAULT_WEIGHTS = defaultWeights();
    public static final Settings DEFAULTS = new Settings(48, 30.0, 3.0, DEFAULT_WEIGHTS, List.of());
    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile("^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$");

    /** A partial update; null fields stay as they are. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Patch(Integer replyWindowHours, Double halfLifeDays, Double giveBackThreshold, Map<String, Double> weights,
                        List<String> mastodonInstances) {}

    public double weight(String kind) {
        return weights.getOrDefault(kind, DEFAULT_WEIGHTS.getOrDefault(kind, 0.0));
    }

    public Settings apply(Patch patch) {
        if (patch == null) return this;
        int window = replyWindowHours;
        double halfLife = halfLifeDays, threshold = giveBackThreshold;
        if (patch.replyWindowHours() != null) {
            window = patch.replyWindowHours();
            if (window < 1 || window > 8760) throw ApiProblem.badRequest("settings.replyWindowHours", "settings.replyWindowHours must be between 1 and 8760");
        }
        if (patch.halfLifeDays() != null) {
            halfLife = patch.halfLifeDays();
            if (!(halfLife >= 1 && halfLife <= 3650)) throw ApiProblem.badRequest("settings.halfLifeDays", "settings.halfLifeDays must be between 1 and 3650");
        }
        if (patch.giveBackThreshold() != null) {
            threshold = patch.giveBackThreshold();
            if (!(threshold >= 0.1 && threshold <= 1000)) throw ApiProblem.badRequest("settings.giveBackThreshold", "settings.giveBackThreshold must be between 0.1 and 1000");
        }
        Map<String, Double> w = new LinkedHashMap<>(weights);
        if (patch.weights() != null) {
            for (Map.Entry<String, Double> e : patch.weights().entrySet()) {
                if (!KINDS.contains(e.getKey())) {
                    throw ApiProblem.badRequest("settings.weights", "settings.weights has an unknown kind `" + e.getKey() + "`; kinds are " + KINDS);
                }
                Double v = e.getValue();
                if (v == null || !(v >= 0 && v <= 100)) {
                    throw ApiProblem.badRequest("settings.weights." + e.getKey(), "settings.weights." + e.getKey() + " must be a number from 0 to 100");
                }
                w.put(e.getKey(), v);
            }
        }
        List<String> instances = mastodonInstances;
        if (patch.mastodonInstances() != null) {
            if (patch.mastodonInstances().size() > 50) throw ApiProblem.badRequest("settings.mastodonInstances", "settings.mastodonInstances holds at most 50 hosts");
            java.util.TreeSet<String> hosts = new java.util.TreeSet<>();
            for (String host : patch.mastodonInstances()) {
                String h = host == null ? "" : host.strip().toLowerCase(java.util.Locale.ROOT);
                if (!HOST.matcher(h).matches()) {
                    throw ApiProblem.badRequest("settings.mastodonInstances", "settings.mastodonInstances must be host names like social.example.org, not `" + host + "`");
                }
                hosts.add(h);
            }
            instances = List.copyOf(hosts);
        }
        return new Settings(window, halfLife, threshold, w, instances);
    }

    public java.util.Set<String> mastodonInstanceSet() {
        return java.util.Set.copyOf(mastodonInstances);
    }

    /** Stored settings may predate a new kind or field: fill the gaps from the defaults. */
    public Settings withDefaults() {
        Map<String, Double> w = new LinkedHashMap<>(DEFAULT_WEIGHTS);
        if (weights != null) w.putAll(weights);
        return new Settings(replyWindowHours > 0 ? replyWindowHours : DEFAULTS.replyWindowHours,
                halfLifeDays > 0 ? halfLifeDays : DEFAULTS.halfLifeDays,
                giveBackThreshold > 0 ? giveBackThreshold : DEFAULTS.giveBackThreshold, w,
                mastodonInstances == null ? List.of() : List.copyOf(mastodonInstances));
    }

    private static Map<String, Double> defaultWeights() {
        Map<String, Double> w = new LinkedHashMap<>();
        w.put("comment", 1.0);
        w.put("reply", 1.0);
        w.put("mention", 1.0);
        w.put("message", 1.5);
        w.put("like", 0.25);
        w.put("share", 1.0);
        w.put("endorsement", 1.0);
        w.put("recommendation", 3.0);
        w.put("follow", 0.5);
        w.put("other", 0.5);
        return java.util.Collections.unmodifiableMap(w);
    }
}
