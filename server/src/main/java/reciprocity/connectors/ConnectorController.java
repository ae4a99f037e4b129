package reciprocity.connectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import reciprocity.web.Auth;
import reciprocity.web.Json;
import reciprocity.web.Params;

/** HTTP for connectors: create, list, get, delete and "sync now". */
public final class ConnectorController {
    private final ConnectorService connectors;
    private final ObjectMapper json;

    public ConnectorController(ConnectorService connectors, ObjectMapper json) {
        this.connectors = connectors;
        this.json = json;
    }

    public void create(Context ctx) {
        ConnectorView view = connectors.create(Auth.userId(ctx), Json.read(ctx, json, ConnectorService.Create.class));
        ctx.status(201).header("Location", "/v1/connectors/" + view.id()).json(view);
    }

    public void list(Context ctx) {
        ctx.json(connectors.list(Auth.userId(ctx), Params.cursor(ctx), Params.intQuery(ctx, "limit", 20, 1, 100)));
    }

    public void get(Context ctx) {
        ctx.json(connectors.get(Auth.userId(ctx), Params.id(ctx, "id")));
    }

    public void delete(Context ctx) {
        connectors.delete(Auth.userId(ctx), Params.id(ctx, "id"));
        ctx.status(204);
    }

    public void sync(Context ctx) {
        ctx.status(202).json(connectors.syncNow(Auth.userId(ctx), Params.id(ctx, "id")));
    }
}
