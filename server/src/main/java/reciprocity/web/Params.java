package reciprocity.web;

import io.javalin.http.Context;

/** Reading path and query parameters with errors a person can act on. */
public final class Params {
    private Params() {}

    /** A positive id from the path; anything else is a 404 like a missing object (ids are not guessable input). */
    public static long id(Context ctx, String name) {
        String raw = ctx.pathParam(name);
        try {
            long id = Long.parseLong(raw);
            if (id > 0) return id;
        } catch (NumberFormatException ignored) {
            // fall through
        }
        String shown = raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
        throw ApiProblem.notFoundBecause("Nothing has the id `" + shown + "`: ids are positive whole numbers, as the API gives them");
    }

    public static int intQuery(Context ctx, String name, int fallback, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return fallback;
        try {
            int v = Integer.parseInt(raw.strip());
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw ApiProblem.badRequest(name, name + " must be a whole number from " + min + " to " + max);
    }

    public static Long longQuery(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return null;
        try {
            long v = Long.parseLong(raw.strip());
            if (v > 0) return v;
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw ApiProblem.badRequest(name, name + " must be a positive id");
    }

    public static java.time.Instant instantQuery(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return null;
        try {
            return java.time.OffsetDateTime.parse(raw.strip()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiProblem.badRequest(name, name + " must be an RFC 3339 time like 2026-01-31T12:00:00Z");
        }
    }

    public static String cursor(Context ctx) {
        String raw = ctx.queryParam("cursor");
        return raw == null || raw.isBlank() ? null : raw;
    }
}
