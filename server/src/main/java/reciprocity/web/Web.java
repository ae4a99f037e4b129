package reciprocity.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The HTTP server: Javalin configured once with JSON, problems, auth, metrics, routes and a graceful stop. */
public final class Web {
    public static final long MAX_BODY_BYTES = 256 * 1024;

    private final Javalin app;
    private final AtomicInteger inFlight = new AtomicInteger();

    public Web(ObjectMapper json, Problems problems, Auth auth, MeterRegistry metrics, List<Routes.Route> routes,
               boolean virtualThreads) {
        this.app = Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(json, virtualThreads));
            config.concurrency.useVirtualThreads = virtualThreads;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.startup.showJavalinBanner = false;
            config.router.ignoreTrailingSlashes = true;
            problems.register(config);
            config.routes.before(ctx -> inFlight.incrementAndGet());
            config.routes.beforeMatched(auth);
            config.routes.after(auth::afterRequest);
            config.requestLogger.http((ctx, ms) -> {
                inFlight.decrementAndGet();
                record(metrics, ctx, ms);
            });
            Routes.register(config, routes);
        });
    }

    private static void record(MeterRegistry metrics, Context ctx, Float ms) {
        String route = ctx.attribute(Routes.ROUTE_ATTRIBUTE);
        Timer.builder("http.server.requests")
                .description("HTTP requests by route")
                .tag("method", ctx.method().name())
                .tag("route", route == null || route.isEmpty() ? "unmatched" : route)
                .tag("status", Integer.toString(ctx.statusCode()))
                .publishPercentileHistogram(false)
                .register(metrics)
                .record((long) (ms * 1_000_000L), TimeUnit.NANOSECONDS);
    }

    public Web start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Requests being handled right now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Waits for in-flight requests (up to {@code grace}), then stops the server. */
    public void stop(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
            // A request counts as done once its handlers have run; give the last responses time to reach the wire.
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
    }
}
