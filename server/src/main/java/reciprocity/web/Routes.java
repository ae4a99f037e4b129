package reciprocity.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import reciprocity.account.MeController;
import reciprocity.auth.AuthController;
import reciprocity.interactions.InteractionController;
import reciprocity.lookup.LookupController;
import reciprocity.obligations.ObligationController;
import reciprocity.system.SystemController;
import reciprocity.tokens.TokenController;

/** Every path the server serves, with its role, in one place. */
public final class Routes {
    /** One route: method, path (OpenAPI syntax), the role it needs and its handler. */
    public record Route(HandlerType method, String path, Role role, Handler handler) {}

    /** The controllers the routes call. */
    public record Controllers(SystemController system, AuthController auth, MeController me, TokenController tokens,
                              List<Route> extra) {}

    public static final String ROUTE_ATTRIBUTE = "reciprocity.route";

    private Routes() {}

    public static List<Route> all(Controllers c) {
        List<Route> r = new ArrayList<>();
        r.add(get("/health/live", Role.PUBLIC, c.system()::live));
        r.add(get("/health/ready", Role.PUBLIC, c.system()::ready));
        r.add(get("/metrics", Role.PUBLIC, c.system()::metrics));
        r.add(get("/openapi.yaml", Role.PUBLIC, c.system()::spec));
        r.add(get("/docs", Role.PUBLIC, c.system()::docs));
        r.add(get("/docs/{asset}", Role.PUBLIC, c.system()::docsAsset));

        r.add(post("/v1/auth/register", Role.PUBLIC, c.auth()::register));
        r.add(post("/v1/auth/login", Role.PUBLIC, c.auth()::login));
        r.add(post("/v1/auth/refresh", Role.PUBLIC, c.auth()::refresh));
        r.add(post("/v1/auth/logout", Role.PUBLIC, c.auth()::logout));

        r.add(get("/v1/me", Role.READ, c.me()::get));
        r.add(route(HandlerType.PATCH, "/v1/me", Role.WRITE, c.me()::patch));
        r.add(post("/v1/me/password", Role.SESSION, c.me()::changePassword));
        r.add(route(HandlerType.DELETE, "/v1/me", Role.SESSION, c.me()::delete));

        r.add(post("/v1/tokens", Role.SESSION, c.tokens()::create));
        r.add(get("/v1/tokens", Role.SESSION, c.tokens()::list));
        r.add(route(HandlerType.DELETE, "/v1/tokens/{id}", Role.SESSION, c.tokens()::revoke));

        r.addAll(c.extra());
        return List.copyOf(r);
    }

    /** Interactions, obligations, the summary and the lookup. */
    public static List<Route> ledger(InteractionController interactions, ObligationController obligations, LookupController lookup) {
        return List.of(
                post("/v1/interactions", Role.WRITE, interactions::create),
                post("/v1/interactions/batch", Role.WRITE, interactions::batch),
                get("/v1/interactions", Role.READ, interactions::list),
                get("/v1/interactions/{id}", Role.READ, interactions::get),
                route(HandlerType.DELETE, "/v1/interactions/{id}", Role.WRITE, interactions::delete),
                get("/v1/obligations", Role.READ, obligations::list),
                post("/v1/obligations/{id}/snooze", Role.WRITE, obligations::snooze),
                post("/v1/obligations/{id}/dismiss", Role.WRITE, obligations::dismiss),
                post("/v1/obligations/{id}/reopen", Role.WRITE, obligations::reopen),
                get("/v1/summary", Role.READ, obligations::summary),
                get("/v1/lookup", Role.READ, lookup::one),
                // A read: POST only because a feed's URLs do not fit in a query string.
                post("/v1/lookup", Role.READ, lookup::many));
    }

    /** Contacts, their handles and merges; the user's own identities; the export. */
    public static List<Route> people(reciprocity.contacts.ContactController contacts,
                                     reciprocity.identities.IdentityController identities,
                                     reciprocity.export.ExportController export) {
        return List.of(
                post("/v1/contacts", Role.WRITE, contacts::create),
                get("/v1/contacts", Role.READ, contacts::list),
                get("/v1/contacts/{id}", Role.READ, contacts::get),
                route(HandlerType.PATCH, "/v1/contacts/{id}", Role.WRITE, contacts::patch),
                route(HandlerType.DELETE, "/v1/contacts/{id}", Role.WRITE, contacts::delete),
                post("/v1/contacts/{id}/handles", Role.WRITE, contacts::addHandle),
                route(HandlerType.DELETE, "/v1/contacts/{id}/handles/{handleId}", Role.WRITE, contacts::removeHandle),
                post("/v1/contacts/{id}/merge", Role.WRITE, contacts::merge),
                get("/v1/me/identities", Role.READ, identities::list),
                post("/v1/me/identities", Role.WRITE, identities::create),
                route(HandlerType.DELETE, "/v1/me/identities/{id}", Role.WRITE, identities::delete),
                get("/v1/export", Role.READ, export::export));
    }

    /** Import jobs: upload, progress, list, cancel. */
    public static List<Route> imports(reciprocity.imports.ImportController imports) {
        return List.of(
                post("/v1/imports", Role.WRITE, imports::create),
                get("/v1/imports", Role.READ, imports::list),
                get("/v1/imports/{id}", Role.READ, imports::get),
                route(HandlerType.DELETE, "/v1/imports/{id}", Role.WRITE, imports::cancel));
    }

    /** Notification connectors: create, list, get, delete, sync now. */
    public static List<Route> connectors(reciprocity.connectors.ConnectorController connectors) {
        return List.of(
                post("/v1/connectors", Role.WRITE, connectors::create),
                get("/v1/connectors", Role.READ, connectors::list),
                get("/v1/connectors/{id}", Role.READ, connectors::get),
                route(HandlerType.DELETE, "/v1/connectors/{id}", Role.WRITE, connectors::delete),
                post("/v1/connectors/{id}/sync", Role.WRITE, connectors::sync));
    }

    public static void register(JavalinConfig config, List<Route> routes) {
        for (Route route : routes) {
            // The route's own path, for metrics: after-handlers change what Context.endpoint() reports.
            Handler handler = route.handler();
            String path = route.path();
            config.routes.addHttpHandler(route.method(), path, ctx -> {
                ctx.attribute(ROUTE_ATTRIBUTE, path);
                handler.handle(ctx);
            }, route.role());
        }
    }

    public static Route get(String path, Role role, Handler handler) {
        return new Route(HandlerType.GET, path, role, handler);
    }

    public static Route post(String path, Role role, Handler handler) {
        return new Route(HandlerType.POST, path, role, handler);
    }

    public static Route route(HandlerType method, String path, Role role, Handler handler) {
        return new Route(method, path, role, handler);
    }
}
