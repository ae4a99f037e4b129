package reciprocity.web;

import java.util.Set;

/** The authenticated caller of a request: whose data it may touch and with which scopes. */
public record Principal(long userId, Set<String> scopes, boolean session) {
    public static final String ATTRIBUTE = "reciprocity.principal";

    public boolean can(String scope) {
        return scopes.contains(scope);
    }
}
