package reciprocity.support;

import static io.restassured.RestAssured.given;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import reciprocity.App;
import reciprocity.Config;
import reciprocity.auth.SigningKeys;
import reciprocity.db.Database;

/** A real server on port 0 over a fresh database, with REST Assured specs that check every exchange against openapi.yaml. */
public final class TestServer implements AutoCloseable {
    public static final Path SPEC = Path.of("..", "openapi.yaml").toAbsolutePath().normalize();
    private static final OpenApiInteractionValidator FULL = validator(false);
    private static final OpenApiInteractionValidator RESPONSES_ONLY = validator(true);

    public final MutableClock clock;
    public final Database database;
    public final SigningKeys keys;
    public final App app;

    private TestServer(Config config, MutableClock clock, SigningKeys keys, Database database) {
        this.clock = clock;
        this.keys = keys;
        this.database = database;
        this.app = App.start(config, database, clock, keys);
    }

    public static TestServer start() {
        return start(c -> c);
    }

    /** Starts with test defaults (open registration, generous throttles) adjusted by {@code tweak}. */
    public static TestServer start(UnaryOperator<Config> tweak) {
        Config config = tweak.apply(new Config(0, Path.of(System.getProperty("java.io.tmpdir")), Optional.empty(), Optional.empty(),
                true, 0, false, 10, 1_000_000));
        return new TestServer(config, MutableClock.atNow(), SigningKeys.random(), TestDatabases.fresh());
    }

    public static TestServer start(Config config, SigningKeys keys, Database database, MutableClock clock) {
        return new TestServer(config, clock, keys, database);
    }

    public String baseUrl() {
        return "http://localhost:" + app.port();
    }

    /** A request checked against the contract both ways. */
    public RequestSpecification api() {
        return given().baseUri(baseUrl()).filter(new OpenApiValidationFilter(FULL)).contentType(ContentType.JSON);
    }

    /** A request to a server at {@code baseUrl} (one this JVM did not start) checked against the contract both ways. */
    public static RequestSpecification api(String baseUrl) {
        return given().baseUri(baseUrl).filter(new OpenApiValidationFilter(FULL)).contentType(ContentType.JSON);
    }

    /** For negative tests: the request may break the contract, the response still may not. */
    public RequestSpecification raw() {
        return given().baseUri(baseUrl()).filter(new OpenApiValidationFilter(RESPONSES_ONLY)).contentType(ContentType.JSON);
    }

    public RequestSpecification as(String token) {
        return api().header("Authorization", "Bearer " + token);
    }

    public RequestSpecification rawAs(String token) {
        return raw().header("Authorization", "Bearer " + token);
    }

    /** Registers a new user and returns its access token. */
    public Session register() {
        String email = "u" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
        return register(email, "correct horse battery staple");
    }

    public Session register(String email, String password) {
        Map<String, Object> tokens = api().body(Map.of("email", email, "password", password, "displayName", "Test User"))
                .post("/v1/auth/register").then().statusCode(201).extract().as(Map.class);
        return new Session(email, password, (String) tokens.get("accessToken"), (String) tokens.get("refreshToken"));
    }

    /**
     * A registered user whose `accessToken` is a read-write personal access token valid for a year, for tests that move
     * the clock further than an access token lives.
     */
    public Session registerLongLived() {
        Session s = register();
        String pat = as(s.accessToken()).body(Map.of("name", "tests", "scopes", java.util.List.of("read", "write"), "expiresInDays", 365))
                .post("/v1/tokens").then().statusCode(201).extract().path("token");
        return new Session(s.email(), s.password(), pat, s.refreshToken());
    }

    /** A registered user: credentials and the tokens from registration. */
    public record Session(String email, String password, String accessToken, String refreshToken) {}

    @Override
    public void close() {
        app.close();
        database.close();
    }

    private static OpenApiInteractionValidator validator(boolean responsesOnly) {
        LevelResolver.Builder levels = LevelResolver.create();
        if (responsesOnly) {
            levels.withLevel("validation.request", ValidationReport.Level.IGNORE)
                    .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.IGNORE)
                    .withLevel("validation.request.parameter.header.unexpected", ValidationReport.Level.IGNORE);
        }
        return OpenApiInteractionValidator.createForSpecificationUrl(SPEC.toUri().toString())
                .withLevelResolver(levels.build())
                .build();
    }
}
