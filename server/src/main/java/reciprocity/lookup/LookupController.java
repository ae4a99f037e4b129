package reciprocity.lookup;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
        List<String> urls = plainUrls(ctx.bodyAsBytes());
        LookupService.Request request = urls != null ? new LookupService.Request(urls) : Json.read(ctx, json, LookupService.Request.class);
        // Room for a typical answer per URL, so the buffer need not grow and be copied while it is written.
        JsonWriter out = new JsonWriter(request.urls() == null ? 1024 : 1024 + 768 * Math.min(request.urls().size(), LookupService.MAX_URLS));
        lookup.many(Auth.userId(ctx), request, out);
        out.sendTo(ctx);
    }

    /**
     * The URLs of a body that is exactly {@code {"urls": [string, ...]}} with at most {@link LookupService#MAX_URLS}
     * strings free of NUL characters, as the extension sends it, read token by token (binding it to a record costs more
     * than the lookups); null for any other body, which {@link Json#read} then reads, or refuses, as it does elsewhere.
     */
    List<String> plainUrls(byte[] body) {
        try (JsonParser p = json.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME || !"urls".equals(p.currentName())
                    || p.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            List<String> urls = new ArrayList<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t != JsonToken.VALUE_STRING || urls.size() == LookupService.MAX_URLS) return null;
                String url = p.getText();
                if (url.indexOf('\u0000') >= 0) return null;
                urls.add(url);
            }
            return p.nextToken() == JsonToken.END_OBJECT && p.nextToken() == null ? urls : null;
        } catch (IOException e) {
            return null;
        }
    }
}
