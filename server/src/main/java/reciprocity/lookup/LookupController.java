package reciprocity.lookup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import reciprocity.web.Auth;
import reciprocity.web.Json;
import reciprocity.web.JsonWriter;

/** HTTP for the lookup the extension calls on every page. */
public final class LookupController {
    private final LookupService lookup;
    private final ObjectMapper json;

    public LookupController(LookupService lookup, ObjectMapper json) {
        this.lookup = lookup;
        this.json = json;
    }

    public void one(Context ctx) {
        JsonWriter out = new JsonWriter(1024);
        lookup.one(Auth.userId(ctx), ctx.queryParam("url"), out);
        out.sendTo(ctx);
    }

    public void many(Context ctx) {
        LookupService.Request request = Json.read(ctx, json, LookupService.Request.class);
        JsonWriter out = new JsonWriter(16 * 1024);
        lookup.many(Auth.userId(ctx), request, out);
        out.sendTo(ctx);
    }
}
