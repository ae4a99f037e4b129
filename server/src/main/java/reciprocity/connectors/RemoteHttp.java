package reciprocity.connectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * JSON over HTTP to a remote API with the JDK client: 5 s to connect, a per-request limit, no redirects (a token is
 * never carried to another host, and a redirect cannot lead to an address nobody checked), bodies capped at 8 MiB,
 * and every failure turned into a {@link RemoteFailure}. Right before each request the host is resolved again and
 * refused unless every address is public ({@link PublicHosts}), so a name that was rebound to a private address since
 * the connector was created is never reached.
 */
final class RemoteHttp {
    static final int MAX_BODY = 8 << 20;
    private static final ObjectMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** A parsed answer and the headers a connector may need (Link, rate limits). */
    record Answer(JsonNode body, HttpResponse<?> response) {
        Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }
    }

    private final HttpClient client;
    private final Duration requestTimeout;
    private final Clock clock;
    private final PublicHosts hosts;

    RemoteHttp(Duration requestTimeout, Clock clock, PublicHosts hosts) {
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        this.requestTimeout = requestTimeout;
        this.clock = clock;
        this.hosts = hosts;
    }

    /** `base` + `path` + the query (values URL-encoded; null values left out). */
    static URI uri(String base, String path, Map<String, String> query) {
        String q = query.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return URI.create(trimmed + path + (q.isEmpty() ? "" : "?" + q));
    }

    static Map<String, String> query(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
        return m;
    }

    Answer get(URI uri, Map<String, String> headers) throws RemoteFailure {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
        return send(b, headers, uri);
    }

    Answer postJson(URI uri, Map<String, String> headers, Object body) throws RemoteFailure {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("Content-Type", "application/json");
        return send(b, headers, uri);
    }

    /** A POST without a body (an XRPC procedure that takes no input, such as refreshSession). */
    Answer post(URI uri, Map<String, String> headers) throws RemoteFailure {
        return send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()), headers, uri);
    }

    private Answer send(HttpRequest.Builder b, Map<String, String> headers, URI uri) throws RemoteFailure {
        b.timeout(requestTimeout).header("Accept", "application/json").header("User-Agent", "Reciprocity-connector/1");
        headers.forEach(b::header);
        String where = uri.getHost() + uri.getPath();
        checkTarget(uri);
        HttpResponse<InputStream> response;
        byte[] body;
        try {
            response = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
        } catch (HttpConnectTimeoutException e) {
            throw new RemoteFailure(RemoteFailure.Kind.TIMEOUT, "Could not connect to " + uri.getHost() + " within 5 seconds");
        } catch (HttpTimeoutException e) {
            throw new RemoteFailure(RemoteFailure.Kind.TIMEOUT, where + " did not answer within " + requestTimeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new RemoteFailure(RemoteFailure.Kind.UNREACHABLE, "Could not reach " + uri.getHost() + " (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteFailure(RemoteFailure.Kind.UNREACHABLE, "The sync was interrupted (the server is stopping)");
        }
        int status = response.statusCode();
        String code = status >= 200 && status < 300 ? null : errorCode(body);
        String said = code == null ? "" : " (" + code + ")";
        if (status == 401) {
            throw new RemoteFailure(RemoteFailure.Kind.REJECTED_CREDENTIALS, where + " answered 401" + said
                    + ": the credentials were rejected; create the connector again with valid ones", null, status, code);
        }
        if (status == 429 || (status == 403 && "0".equals(response.headers().firstValue("x-ratelimit-remaining").orElse(null)))) {
            Duration wait = retryAfter(response).orElse(null);
            throw new RemoteFailure(RemoteFailure.Kind.RATE_LIMITED, where + " answered " + status + ": rate limited"
                    + (wait == null ? "" : "; retrying after " + wait.toSeconds() + " s"), wait, status, code);
        }
        if (status == 403) {
            throw new RemoteFailure(RemoteFailure.Kind.REJECTED_CREDENTIALS, where + " answered 403" + said
                    + ": the credentials lack a permission this connector needs", null, status, code);
        }
        if (status >= 500) {
            throw new RemoteFailure(RemoteFailure.Kind.UNAVAILABLE, where + " answered " + status + " (a server error on their side)",
                    retryAfter(response).orElse(null), status, code);
        }
        if (status < 200 || status >= 300) {
            throw new RemoteFailure(RemoteFailure.Kind.REFUSED, where + " answered " + status + said, null, status, code);
        }
        if (body.length > MAX_BODY) throw new RemoteFailure(RemoteFailure.Kind.MALFORMED, where + " answered with more than 8 MiB");
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) throw new RemoteFailure(RemoteFailure.Kind.MALFORMED, where + " answered with an empty body");
            return new Answer(node, response);
        } catch (JsonProcessingException e) {
            throw new RemoteFailure(RemoteFailure.Kind.MALFORMED, where + " answered with something that is not JSON");
        } catch (IOException e) {
            throw new RemoteFailure(RemoteFailure.Kind.MALFORMED, where + " answered with an unreadable body");
        }
    }

    /**
     * The `error` of an XRPC-style error body (`{"error":"ExpiredToken","message":"…"}`) when it is a short code;
     * the message and anything longer stay out, since a failure's message is shown to the user.
     */
    private static String errorCode(byte[] body) {
        if (body.length == 0 || body.length > 64 * 1024) return null;
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode error = node == null ? null : node.get("error");
            String code = error != null && error.isTextual() ? error.asText() : null;
            return code != null && code.matches("[A-Za-z][A-Za-z0-9_]{0,63}") ? code : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The JDK client resolves the host again when it connects; its address cache (30 s by default) normally hands it
     * the very answer checked here.
     */
    private void checkTarget(URI uri) throws RemoteFailure {
        Optional<String> refusal;
        try {
            refusal = hosts.refusal(uri);
        } catch (java.net.UnknownHostException e) {
            throw new RemoteFailure(RemoteFailure.Kind.UNREACHABLE, "Could not resolve " + uri.getHost());
        }
        if (refusal.isPresent()) {
            throw new RemoteFailure(RemoteFailure.Kind.PRIVATE_ADDRESS, "Not connecting: " + uri.getHost() + " " + refusal.get()
                    + "; " + PublicHosts.ONLY_PUBLIC);
        }
    }

    /** `Retry-After` in seconds or as an HTTP date; else GitHub's `x-ratelimit-reset` (epoch seconds). */
    private Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> raw = response.headers().firstValue("Retry-After").map(String::strip);
        if (raw.isPresent()) {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(raw.get()))));
            } catch (NumberFormatException e) {
                try {
                    Instant at = ZonedDateTime.parse(raw.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    return Optional.of(Duration.between(clock.instant(), at).isNegative() ? Duration.ZERO : Duration.between(clock.instant(), at));
                } catch (RuntimeException ignored) {
                    return Optional.empty();
                }
            }
        }
        try {
            return response.headers().firstValue("x-ratelimit-reset").map(s -> Duration.ofSeconds(Math.max(0, Long.parseLong(s.strip()) - clock.instant().getEpochSecond())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
