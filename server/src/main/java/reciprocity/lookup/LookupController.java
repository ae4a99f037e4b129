package reciprocity.lookup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.Map;
import reciprocity.web.Auth;
import reciprocity.web.Json;

/** HTTP for the lookup the extension calls on every page. */
public final class LookupController {
    private final LookupService lookup;
    private final ObjectMapper json;

    public LookupController(LookupService lookup, ObjectMapper json) {
        this.lookup = lookup;
        this.json = json;
    }

    public void one(Context ctx) {
        ctx.json(lookup.one(Auth.userId(ctx), ctx.queryParam("url")));
    }

    public void many(Context ctx) {
        ctx.json(Map.of("results", lookup.many(Auth.userId(ctx), Json.read(ctx, json, LookupService.Request.class))));
    }
}
