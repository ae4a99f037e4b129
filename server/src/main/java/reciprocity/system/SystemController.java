package reciprocity.system;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import reciprocity.web.ApiProblem;

/** Health, the API contract, Swagger UI and metrics: the public, unauthenticated surface. */
public final class SystemController {
    private static final Set<String> DOC_ASSETS = Set.of("swagger-ui.css", "swagger-ui-bundle.js",
            "swagger-ui-standalone-preset.js", "favicon-32x32.png", "favicon-16x16.png");
    private final BooleanSupplier databaseReachable;
    private final BooleanSupplier stopping;
    private final PrometheusMeterRegistry metrics;
    private final byte[] spec;
    private final String swaggerUiPath;

    public SystemController(BooleanSupplier databaseReachable, BooleanSupplier stopping, PrometheusMeterRegistry metrics) {
        this.databaseReachable = databaseReachable;
        this.stopping = stopping;
        this.metrics = metrics;
        this.spec = resource("/api/openapi.yaml");
        this.swaggerUiPath = "/META-INF/resources/webjars/swagger-ui/" + buildProperty("swaggerUiVersion") + "/";
    }

    public void live(Context ctx) {
        ctx.json(Map.of("status", "up"));
    }

    public void ready(Context ctx) {
        if (stopping.getAsBoolean()) {
            throw ApiProblem.unavailable("The server is stopping");
        }
        if (!databaseReachable.getAsBoolean()) {
            throw ApiProblem.unavailable("The database is unreachable");
        }
        ctx.json(Map.of("status", "ready"));
    }

    public void spec(Context ctx) {
        ctx.contentType("application/yaml").result(spec);
    }

    public void docs(Context ctx) {
        ctx.html("""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Reciprocity API</title>
                <link rel="stylesheet" href="/docs/swagger-ui.css"></head>
                <body><div id="swagger-ui"></div>
                <script src="/docs/swagger-ui-bundle.js"></script>
                <script src="/docs/swagger-ui-init.js"></script>
                </body></html>""");
    }

    public void docsAsset(Context ctx) {
        String name = ctx.pathParam("asset");
        if (name.equals("swagger-ui-init.js")) {
            ctx.contentType("text/javascript").result("window.ui = SwaggerUIBundle({url: '/openapi.yaml', dom_id: '#swagger-ui'});\n");
            return;
        }
        if (!DOC_ASSETS.contains(name)) throw ApiProblem.notFound("The documentation file " + name);
        String type = name.endsWith(".css") ? "text/css" : name.endsWith(".js") ? "text/javascript" : "image/png";
        ctx.header("Cache-Control", "public, max-age=86400").contentType(type).result(resource(swaggerUiPath + name));
    }

    public void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    private static byte[] resource(String path) {
        try (InputStream in = SystemController.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing resource " + path);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String buildProperty(String name) {
        Properties p = new Properties();
        try (InputStream in = SystemController.class.getResourceAsStream("/reciprocity/build.properties")) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty(name);
    }
}
