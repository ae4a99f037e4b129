package reciprocity.identities;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.Map;
import reciprocity.web.Auth;
import reciprocity.web.Json;
import reciprocity.web.Params;

/** HTTP for the user's own identities. */
public final class IdentityController {
    private final IdentityService identities;
    private final ObjectMapper json;

    public IdentityController(IdentityService identities, ObjectMapper json) {
        this.identities = identities;
        this.json = json;
    }

    public void list(Context ctx) {
        ctx.json(Map.of("items", identities.list(Auth.userId(ctx))));
    }

    public void create(Context ctx) {
        ctx.status(201).json(identities.create(Auth.userId(ctx), Json.read(ctx, json, Identity.Create.class)));
    }

    public void delete(Context ctx) {
        identities.delete(Auth.userId(ctx), Params.id(ctx, "id"));
        ctx.status(204);
    }
}
