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
        // Room for a typical answer per URL, so the buffer need not grow and be copied while it is written.
        JsonWriter out = new JsonWriter(request.urls() == null ? 1024 : 1024 + 768 * Math.min(request.urls().size(), LookupService.MAX_URLS));
        lookup.many(Auth.userId(ctx), request, out);
        out.sendTo(ctx);
    }
}
