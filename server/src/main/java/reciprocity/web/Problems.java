package reciprocity.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.validation.ValidationException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.stream.Collectors;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps every failure to an RFC 9457 application/problem+json response; no stack trace or class name leaves the server. */
public final class Problems {
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    public static final String CONTENT_TYPE = "application/problem+json";

    private final ObjectMapper json;

    public Problems(ObjectMapper json) {
        this.json = json;
    }

    public void register(JavalinConfig config) {
        config.routes.exception(ApiProblem.class, (e, ctx) -> write(ctx, e));
        config.routes.exception(JsonProcessingException.class, (e, ctx) -> write(ctx, fromJson(e)));
        config.routes.exception(ValidationException.class, (e, ctx) -> write(ctx, fromValidation(e)));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> write(ctx, fromHttp(e)));
        config.routes.exception(Exception.class, (e, ctx) -> {
            ApiProblem database = fromDatabase(e);
            if (database != null) {
                LOG.warn("database unavailable on {} {}: {}", ctx.method(), ctx.endpoint().path, e.toString());
                write(ctx, database);
                return;
            }
            LOG.error("unexpected failure on {} {}", ctx.method(), ctx.endpoint().path, e);
            write(ctx, new ApiProblem(500, "Internal server error", "Something went wrong on the server; it has been logged", null, null));
        });
        config.routes.error(404, ctx -> {
            if (!isProblem(ctx)) write(ctx, new ApiProblem(404, "Not found", "No such path: " + ctx.method() + " " + ctx.path(), null, null));
        });
        config.routes.error(405, ctx -> {
            if (!isProblem(ctx)) write(ctx, new ApiProblem(405, "Method not allowed", ctx.method() + " is not allowed on " + ctx.path(), null, null));
        });
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(CONTENT_TYPE);
    }

    public void write(Context ctx, ApiProblem p) {
        p.headers().forEach(ctx::header);
        Problem body = new Problem("about:blank", p.title(), p.status(), p.getMessage(), ctx.path(), p.field());
        try {
            ctx.status(p.status()).contentType(CONTENT_TYPE).result(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            ctx.status(500).contentType(CONTENT_TYPE).result("{\"title\":\"Internal server error\",\"status\":500}");
        }
    }

    /** The 400 for a body Jackson could not bind, naming the field and what it wanted. */
    public static ApiProblem fromJson(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String field = path(u);
            return ApiProblem.badRequest(field, "Unknown field `" + field + "`; known fields are "
                    + u.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")));
        }
        if (e instanceof ValueInstantiationException v && v.getCause() instanceof ApiProblem p) {
            return p;
        }
        if (e instanceof InvalidFormatException f) {
            String field = path(f);
            if (java.time.Instant.class.equals(f.getTargetType()) && f.getValue() instanceof String v) {
                return ApiProblem.badRequest(field, "`" + field + "` must be a time with its zone, such as 2025-01-01T10:00:00Z"
                        + " or 2025-01-01T12:00:00+02:00 (got `" + (v.length() > 40 ? v.substring(0, 40) + "…" : v) + "`)");
            }
            return ApiProblem.badRequest(field, "`" + field + "` has a value of the wrong type or format");
        }
        if (e instanceof MismatchedInputException m) {
            String field = path(m);
            if (field.isEmpty()) return ApiProblem.badRequest(null, "Send a JSON object as the request body");
            return ApiProblem.badRequest(field, "`" + field + "` has the wrong type");
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = path(m);
            return ApiProblem.badRequest(field, "`" + field + "` could not be read");
        }
        return ApiProblem.badRequest(null, "The request body is not valid JSON");
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    static ApiProblem fromValidation(ValidationException e) {
        var first = e.getErrors().entrySet().stream().findFirst();
        if (first.isEmpty()) return ApiProblem.badRequest(null, "The request is invalid");
        String field = first.get().getKey();
        return ApiProblem.badRequest(field, "`" + field + "` is missing or has the wrong format");
    }

    static ApiProblem fromHttp(HttpResponseException e) {
        int status = e.getStatus();
        String title = switch (status) {
            case 413 -> "Content too large";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 400 -> "Bad request";
            default -> "Error";
        };
        String detail = status == 413 ? "The request body is larger than the server accepts" : e.getMessage();
        return new ApiProblem(status, title, detail, null, null);
    }

    /** Connection failures (pool timeout, database down) are a 503 with Retry-After, not a 500. */
    static ApiProblem fromDatabase(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof ConnectionException) {
                return ApiProblem.unavailable("The database is unavailable; try again shortly");
            }
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) {
                return ApiProblem.unavailable("The database is unavailable; try again shortly");
            }
            // Deadlocks and serialization failures are transient: the same request will go through on a retry.
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("40")) {
                return ApiProblem.unavailable("The request collided with another one; try again");
            }
            if (t instanceof JdbiException && t.getCause() == null) break;
        }
        return null;
    }
}
