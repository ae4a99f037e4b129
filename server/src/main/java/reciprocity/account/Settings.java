package reciprocity.account;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reciprocity.web.ApiProblem;

/** How a user's ledger is computed: reply window, decay half-life, give-back threshold and per-kind weights. */
public record Settings(int replyWindowHours, double halfLifeDays, double giveBackThreshold, Map<String, Double> weights) {
    public static final List<String> KINDS = List.of("comment", "reply", "mention", "message", "like", "share",
            "endorsement", "recommendation", "follow", "other");
    public static final Map<String, Double> DEFAULT_WEIGHTS = defaultWeights();
    public static final Settings DEFAULTS = new Settings(48, 30.0, 3.0, DEFAULT_WEIGHTS);

    /** A partial update; null fields stay as they are. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Patch(Integer replyWindowHours, Double halfLifeDays, Double giveBackThreshold, Map<String, Double> weights) {}

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
        return new Settings(window, halfLife, threshold, w);
    }

    /** Stored settings may predate a new kind or field: fill the gaps from the defaults. */
    public Settings withDefaults() {
        Map<String, Double> w = new LinkedHashMap<>(DEFAULT_WEIGHTS);
        if (weights != null) w.putAll(weights);
        return new Settings(replyWindowHours > 0 ? replyWindowHours : DEFAULTS.replyWindowHours,
                halfLifeDays > 0 ? halfLifeDays : DEFAULTS.halfLifeDays,
                giveBackThreshold > 0 ? giveBackThreshold : DEFAULTS.giveBackThreshold, w);
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
