package reciprocity.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.security.RouteRole;
import java.util.Set;
import reciprocity.auth.AuthService;
import reciprocity.auth.Throttle;
import reciprocity.db.ChangeFeed;

/** The before-matched hook: every route declares a role, a route without one is refused, and callers are rate-limited. */
public final class Auth implements Handler {
    private final AuthService auth;
    private final Throttle perUser;
    private final ChangeFeed feed;

    public Auth(AuthService auth, Throttle perUser, ChangeFeed feed) {
        this.auth = auth;
        this.perUser = perUser;
        this.feed = feed;
    }

    /**
     * After a request that may have written, drops this process's cached view of the caller at once, so the caller
     * reads their own write; other processes learn of it through the database's notification.
     */
    public void afterRequest(Context ctx) {
        Principal p = ctx.attribute(Principal.ATTRIBUTE);
        if (p != null && !ctx.routeRoles().contains(Role.READ)) feed.changed(p.userId());
    }

    @Override
    public void handle(Context ctx) {
        // PostgreSQL cannot store a NUL character in text; no parameter may carry one.
        ctx.queryParamMap().forEach((name, values) -> values.forEach(v -> {
            if (v.indexOf('\u0000') >= 0) throw ApiProblem.badRequest(name, name + " must not contain NUL characters");
        }));
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.contains(Role.PUBLIC)) return;
        if (roles.isEmpty()) throw ApiProblem.forbidden("This route is not open to anyone");
        if (ctx.queryParamMap().containsKey("access_token") || ctx.queryParamMap().containsKey("token")) {
            throw ApiProblem.badRequest("access_token", "Tokens are accepted only in the Authorization header, never in the URL");
        }
        Principal principal = auth.authenticate(ctx.header("Authorization"));
        if (roles.contains(Role.SESSION) && !principal.session()) {
            throw ApiProblem.forbidden("This needs a signed-in session; personal access tokens cannot manage the account or its tokens");
        }
        if (roles.contains(Role.WRITE) && !principal.can("write")) {
            throw ApiProblem.forbidden("This token is read-only; create a token with the `write` scope");
        }
        if (roles.contains(Role.READ) && !principal.can("read")) {
            throw ApiProblem.forbidden("This token lacks the `read` scope");
        }
        perUser.consume(Long.toString(principal.userId()));
        ctx.attribute(Principal.ATTRIBUTE, principal);
    }

    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(Principal.ATTRIBUTE);
        if (p == null) throw ApiProblem.unauthorized("Sign in first");
        return p;
    }

    public static long userId(Context ctx) {
        return principal(ctx).userId();
    }
}
