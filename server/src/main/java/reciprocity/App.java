package reciprocity;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reciprocity.account.AccountService;
import reciprocity.account.MeController;
import reciprocity.auth.AccessTokens;
import reciprocity.auth.AuthController;
import reciprocity.auth.AuthService;
import reciprocity.auth.Passwords;
import reciprocity.auth.SigningKeys;
import reciprocity.auth.Throttle;
import reciprocity.auth.Throttles;
import reciprocity.db.ChangeFeed;
import reciprocity.db.Database;
import reciprocity.lookup.ReadModel;
import reciprocity.interactions.InteractionController;
import reciprocity.interactions.InteractionService;
import reciprocity.ledger.Ledger;
import reciprocity.lookup.LookupController;
import reciprocity.lookup.LookupService;
import reciprocity.obligations.ObligationController;
import reciprocity.obligations.ObligationService;
import reciprocity.platforms.LinkParser;
import reciprocity.web.Cursors;
import reciprocity.system.SystemController;
import reciprocity.tokens.TokenController;
import reciprocity.tokens.TokenService;
import reciprocity.web.Auth;
import reciprocity.web.Json;
import reciprocity.web.Problems;
import reciprocity.web.Routes;
import reciprocity.web.Web;

/** Wiring only: Config -> Database -> services -> Web; and main(). */
public final class App implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    private final Database database;
    private final boolean ownsDatabase;
    private final Web web;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final ChangeFeed feed;
    private final Throttles throttles;
    private final List<Routes.Route> routes;
    private final reciprocity.imports.ImportService imports;
    private final reciprocity.connectors.ConnectorService connectors;

    private App(Config config, Database database, boolean ownsDatabase, Clock clock, SigningKeys keys, PrometheusMeterRegistry metrics) {
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        ObjectMapper json = Json.mapper();
        new JvmMemoryMetrics().bindTo(metrics);

        this.feed = new ChangeFeed(database.pool().getJdbcUrl(), database.pool().getUsername(), database.pool().getPassword());
        AccessTokens accessTokens = new AccessTokens(keys, clock);
        this.throttles = new Throttles(database.jdbi(), clock);
        AuthService auth = new AuthService(database.jdbi(), new Passwords(), accessTokens, clock, config.registrationOpen(),
                config.loginAttemptsPerMinute(), config.registrationsPerHour(), throttles, feed);
        AccountService accounts = new AccountService(database.jdbi(), json, clock, auth);
        TokenService tokens = new TokenService(database.jdbi(), clock);
        Cursors cursors = new Cursors(keys.current());
        Ledger ledger = new Ledger(new LinkParser(), json);
        accounts.onSettingsChanged((h, userId, settings) -> ledger.recomputeContacts(h, userId, settings, null, clock.instant()));
        InteractionService interactions = new InteractionService(database.jdbi(), ledger, accounts, json, clock, cursors);
        ReadModel readModel = new ReadModel(database.jdbi(), accounts, feed, clock);
        ObligationService obligations = new ObligationService(database.jdbi(), accounts, clock, cursors, readModel);
        LookupService lookup = new LookupService(ledger.links(), readModel, clock);
        List<Routes.Route> ledgerRoutes = new ArrayList<>();
        ledgerRoutes.addAll(Routes.ledger(new InteractionController(interactions, json), new ObligationController(obligations, json),
                new LookupController(lookup, json)));
        ledgerRoutes.addAll(Routes.people(
                new reciprocity.contacts.ContactController(new reciprocity.contacts.ContactService(database.jdbi(), ledger, accounts, clock, cursors), json),
                new reciprocity.identities.IdentityController(new reciprocity.identities.IdentityService(database.jdbi(), ledger, accounts, clock), json),
                new reciprocity.export.ExportController(new reciprocity.export.ExportService(database.jdbi(), accounts, json, clock), clock)));

        Path importsDir = config.home().resolve("imports");
        this.imports = new reciprocity.imports.ImportService(database.jdbi(), ledger, accounts, json, clock, cursors, importsDir, true);
        ledgerRoutes.addAll(Routes.imports(new reciprocity.imports.ImportController(imports, importsDir.resolve("spool"))));
        this.connectors = new reciprocity.connectors.ConnectorService(database.jdbi(), ledger, accounts, json, clock, cursors,
                reciprocity.connectors.CredentialVault.load(config.connectors().key(), config.home()), config.connectors());
        ledgerRoutes.addAll(Routes.connectors(new reciprocity.connectors.ConnectorController(connectors, json)));

        Function<Context, String> clientAddress = config.trustForwardedFor() ? App::forwardedAddress : Context::ip;
        this.routes = Routes.all(new Routes.Controllers(
                new SystemController(database::isReachable, stopping::get, metrics),
                new AuthController(auth, json, clientAddress),
                new MeController(accounts, json),
                new TokenController(tokens, json),
                ledgerRoutes));
        // Checked on every request: each process takes a hundredth of the budget at a time, so one request in a
        // hundred writes to the shared bucket (with a small limit, every request does and the count is exact).
        Throttle perUser = throttles.leased("api-user", config.rateLimitPerMinute(), Duration.ofMinutes(1),
                Math.max(1, config.rateLimitPerMinute() / 100), "Too many requests for this account; slow down");
        this.web = new Web(json, new Problems(json), new Auth(auth, perUser, feed), metrics, routes,
                Runtime.version().feature() >= 21);
    }

    /** Starts a server on the given database (migrated already); the caller keeps ownership of the database. */
    public static App start(Config config, Database database, Clock clock, SigningKeys keys) {
        return start(config, database, false, clock, keys);
    }

    private static App start(Config config, Database database, boolean owns, Clock clock, SigningKeys keys) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        database.pool().setMetricRegistry(metrics);
        App app = new App(config, database, owns, clock, keys, metrics);
        app.web.start("0.0.0.0", config.port());
        return app;
    }

    public int port() {
        return web.port();
    }

    public int inFlight() {
        return web.inFlight();
    }

    public List<Routes.Route> routes() {
        return routes;
    }

    public Database database() {
        return database;
    }

    /** Graceful: readiness turns 503, in-flight requests finish, then the server and the pool close. */
    @Override
    public void close() {
        if (!stopping.compareAndSet(false, true)) return;
        web.stop(Duration.ofSeconds(30));
        imports.close();
        connectors.close();
        throttles.close();
        feed.close();
        if (ownsDatabase) database.close();
    }

    private static String forwardedAddress(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) return ctx.ip();
        String[] hops = forwarded.split(",");
        // The right-most hop is the one our own proxy appended; anything left of it is the client's claim.
        return hops[hops.length - 1].strip();
    }

    /** `java -jar reciprocity-server.jar [serve|migrate|import|token|export]`: see {@link reciprocity.cli.Cli}. */
    public static void main(String[] args) {
        reciprocity.cli.Cli.main(args);
    }

    /** `serve`: the server on the configured database until the process is stopped. */
    public static App serve(Config config) {
        Database database = Database.open(config);
        SigningKeys keys = SigningKeys.load(config.jwtSecret(), config.home());
        App app = start(config, database, true, Clock.systemUTC(), keys);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "reciprocity-stop"));
        LOG.info("Reciprocity is listening on http://localhost:{} (API docs at /docs)", app.port());
        return app;
    }
}
