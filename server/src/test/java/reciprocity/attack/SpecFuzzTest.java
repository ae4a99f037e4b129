package reciprocity.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reciprocity.support.TestServer;

/**
 * Thousands of hostile requests generated from openapi.yaml: wrong types, missing and extra fields, boundary and
 * over-long strings, huge numbers, odd Unicode, injection strings, deep nesting, oversized bodies and bad credentials.
 * Not one may get a 5xx, and every response must match the contract (the validator checks each one).
 */
class SpecFuzzTest {
    static final int REQUESTS = 10_000;
    static TestServer server;
    static TestServer.Session session;
    static OpenAPI spec;
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] NASTY = {
        "", " ", "'; drop table users; --", "\" or 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "%00", "\u0000",
        "\uD83D\uDE00\u200B\u202E", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\uFEFF", "${jndi:ldap://x}", "{{7*7}}", "null", "true", "-1", "1e309",
        "https://x.com/alice", "javascript:alert(1)", "x".repeat(300), "é".repeat(5000), "\n\r\t", "@", "rcp_", "NaN"};

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> new reciprocity.Config(c.port(), c.home(), c.database(), c.jwtSecret(), true, 0, false,
                1_000_000, 1_000_000));
        session = server.registerLongLived();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        spec = new OpenAPIV3Parser().read(TestServer.SPEC.toString(), null, options);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Op(String method, String path, Operation operation) {}

    @Test
    void ten_thousand_hostile_requests_get_no_5xx_and_only_documented_responses() throws Exception {
        List<Op> ops = new ArrayList<>();
        for (Map.Entry<String, PathItem> e : new TreeMap<>(spec.getPaths()).entrySet()) {
            e.getValue().readOperationsMap().forEach((m, o) -> ops.add(new Op(m.name(), e.getKey(), o)));
        }
        // Destroying the account would end the run early; it is covered by the account tests.
        ops.removeIf(op -> op.method().equals("DELETE") && op.path().equals("/v1/me"));
        ops.removeIf(op -> op.path().equals("/v1/me/password"));
        Random random = new Random(20261125L);
        Map<String, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            Op op = ops.get(i % ops.size());
            Response r;
            try {
                r = send(op, random);
            } catch (java.net.SocketException e) {
                // The server may answer before reading a large body (413 when oversized; 401 or 403 from the auth
                // hook) and close the connection while the client is still sending it; those answers are checked in
                // SystemApiTest, JwtAttackTest and PatApiTest. A dropped connection on a small body is a failure.
                assertTrue(lastBodyLarge,
                        op.method() + " " + op.path() + " dropped the connection: " + e);
                continue;
            }
            statuses.merge(op.method() + " " + op.path() + " " + r.statusCode(), 1, Integer::sum);
            assertTrue(r.statusCode() < 500, op.method() + " " + op.path() + " answered " + r.statusCode() + ": " + r.asString());
        }
        long distinct = statuses.keySet().stream().map(k -> k.substring(k.lastIndexOf(' ') + 1)).distinct().count();
        assertTrue(distinct >= 5, "the fuzzer should reach many different statuses, reached " + statuses);
        // The account still works after all of it.
        assertEquals(200, server.as(session.accessToken()).get("/v1/me").statusCode());
    }

    @Test
    void an_over_long_uri_is_refused_with_414_not_a_server_error() {
        int status = io.restassured.RestAssured.given().baseUri(server.baseUrl()).queryParam("url", "x".repeat(20_000))
                .get("/v1/lookup").statusCode();
        assertEquals(414, status);
    }

    private boolean lastBodyLarge;

    private Response send(Op op, Random random) throws Exception {
        lastBodyLarge = false;
        RequestSpecification req = server.raw();
        int auth = random.nextInt(20);
        if (auth == 0) req.header("Authorization", "Bearer " + pick(random));
        else if (auth == 1) req.header("Authorization", "Basic " + pick(random));
        else if (auth == 2) req.header("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.");
        else if (auth != 3) req.header("Authorization", "Bearer " + session.accessToken());
        String path = op.path();
        if (op.operation().getParameters() != null) {
            for (Parameter p : op.operation().getParameters()) {
                if (random.nextInt(5) == 0 && !"path".equals(p.getIn())) continue;
                Object value = value(p.getSchema(), random, 0);
                String text = value == null ? "" : String.valueOf(value);
                // Over-long URIs are refused by the HTTP layer with 414 before routing (tested on its own below).
                if (text.length() > 200) text = text.substring(0, 200);
                switch (p.getIn()) {
                    case "path" -> path = path.replace("{" + p.getName() + "}", random.nextBoolean() ? Integer.toString(random.nextInt(5) + 1)
                            : java.net.URLEncoder.encode(text.isEmpty() ? "0" : text, java.nio.charset.StandardCharsets.UTF_8));
                    case "query" -> req.queryParam(p.getName(), text);
                    case "header" -> req.header(p.getName(), text.replaceAll("[\\r\\n\\x00-\\x1f\\x7f-\\uffff]", "?"));
                    default -> { }
                }
            }
        }
        if (op.operation().getRequestBody() != null) {
            var content = op.operation().getRequestBody().getContent();
            var media = content.get("application/json");
            int shape = random.nextInt(12);
            String body;
            if (shape == 0) body = "{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}";
            else if (shape == 1) body = "{ not json";
            else if (shape == 2) body = "x".repeat(300 * 1024);
            else if (shape == 3) body = JSON.writeValueAsString(List.of(1, 2, 3));
            else if (media != null) body = JSON.writeValueAsString(value(media.getSchema(), random, 0));
            else body = pick(random);
            int bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            lastBodyLarge = bytes > 16 * 1024;
            req.body(body);
        }
        return req.request(op.method(), path);
    }

    private static String pick(Random random) {
        return NASTY[random.nextInt(NASTY.length)];
    }

    /** A value for a schema: usually plausible, often wrong (type, bounds, extra or missing fields). */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private Object value(Schema schema, Random random, int depth) {
        if (schema == null || depth > 6) return pick(random);
        int mischief = random.nextInt(10);
        if (mischief == 0) return pick(random);
        if (mischief == 1) return random.nextBoolean() ? Long.MAX_VALUE : -1e308;
        if (mischief == 2) return null;
        if (schema.getEnum() != null && !schema.getEnum().isEmpty() && random.nextBoolean()) {
            return schema.getEnum().get(random.nextInt(schema.getEnum().size()));
        }
        String type = schema.getType() == null && schema.getAllOf() != null ? "object" : schema.getType();
        if (schema.getAllOf() != null && !schema.getAllOf().isEmpty()) schema = (Schema) schema.getAllOf().get(0);
        if (type == null) type = schema.getProperties() != null ? "object" : "string";
        switch (type) {
            case "object": {
                Map<String, Object> out = new LinkedHashMap<>();
                Map<String, Schema> props = schema.getProperties() == null ? Map.of() : schema.getProperties();
                for (Map.Entry<String, Schema> p : props.entrySet()) {
                    if (random.nextInt(6) == 0) continue;
                    out.put(p.getKey(), value(p.getValue(), random, depth + 1));
                }
                if (random.nextInt(8) == 0) out.put("unexpected" + random.nextInt(9), pick(random));
                return out;
            }
            case "array": {
                List<Object> out = new ArrayList<>();
                int n = random.nextInt(10) == 0 ? 1500 : random.nextInt(4);
                for (int i = 0; i < n; i++) out.add(value(schema.getItems(), random, depth + 1));
                return out;
            }
            case "integer":
                return switch (random.nextInt(5)) {
                    case 0 -> 0;
                    case 1 -> Integer.MAX_VALUE;
                    case 2 -> -random.nextInt(1000);
                    default -> random.nextInt(400);
                };
            case "number":
                return random.nextBoolean() ? random.nextDouble() * 100 : 1e300;
            case "boolean":
                return random.nextBoolean();
            default: {
                if ("date-time".equals(schema.getFormat())) {
                    return random.nextBoolean() ? java.time.Instant.now().plusSeconds(random.nextInt(1_000_000) - 500_000).toString() : "2026-13-45T99:00:00Z";
                }
                Integer max = schema.getMaxLength();
                if (max != null && random.nextInt(4) == 0) return "y".repeat(max + 1);
                return pick(random);
            }
        }
    }
}
