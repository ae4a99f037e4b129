package reciprocity.web;

import java.util.Map;

/** A failure a client can act on; mapped to an RFC 9457 problem+json response by {@link Problems}. */
public class ApiProblem extends RuntimeException {
    private final int status;
    private final String title;
    private final String field;
    private final Map<String, String> headers;

    public ApiProblem(int status, String title, String detail, String field, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.field = field;
        this.headers = headers == null ? Map.of() : headers;
    }

    public static ApiProblem badRequest(String field, String detail) {
        return new ApiProblem(400, "Bad request", detail, field, null);
    }

    public static ApiProblem unprocessable(String field, String detail) {
        return new ApiProblem(422, "Unprocessable content", detail, field, null);
    }

    public static ApiProblem notFound(String what) {
        return notFoundBecause(what + " was not found");
    }

    /** A 404 whose detail says more than which object is missing. */
    public static ApiProblem notFoundBecause(String detail) {
        return new ApiProblem(404, "Not found", detail, null, null);
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "Unauthorized", detail, null, Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(403, "Forbidden", detail, null, null);
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(409, "Conflict", detail, null, null);
    }

    public static ApiProblem tooManyRequests(long retryAfterSeconds, String detail) {
        return new ApiProblem(429, "Too many requests", detail, null,
                Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
    }

    public static ApiProblem unavailable(String detail) {
        return new ApiProblem(503, "Service unavailable", detail, null, Map.of("Retry-After", "5"));
    }

    public int status() { return status; }
    public String title() { return title; }
    public String field() { return field; }
    public Map<String, String> headers() { return headers; }
}
