package reciprocity.web;

import io.javalin.security.RouteRole;

/** What a route needs from its caller; every route declares exactly one, and a route with none is denied. */
public enum Role implements RouteRole {
    /** No token needed: auth, health, docs, the spec, metrics. */
    PUBLIC,
    /** A token with the `read` scope (every signed-in session has it). */
    READ,
    /** A token with the `write` scope. */
    WRITE,
    /** A signed-in session (an access token from login), not a personal access token: account and token management. */
    SESSION
}
