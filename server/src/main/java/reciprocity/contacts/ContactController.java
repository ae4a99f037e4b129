package reciprocity.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import reciprocity.web.ApiProblem;
import reciprocity.web.Auth;
import reciprocity.web.Json;
import reciprocity.web.Params;

/** HTTP for contacts, their handles and merges. */
public final class ContactController {
    private final ContactService contacts;
    private final ObjectMapper json;

    public ContactController(ContactService contacts, ObjectMapper json) {
        this.contacts = contacts;
        this.json = json;
    }

    public void create(Context ctx) {
        ctx.status(201).json(contacts.create(Auth.userId(ctx), Json.read(ctx, json, Contact.Create.class)));
    }

    public void list(Context ctx) {
        ContactService.Filter filter = new ContactService.Filter(ContactService.query(ctx.queryParam("q")), owed(ctx),
                tag(ctx), ContactService.Sort.of(ctx.queryParam("sort")));
        ctx.json(contacts.list(Auth.userId(ctx), filter, Params.cursor(ctx), Params.intQuery(ctx, "limit", 20, 1, 100)));
    }

    public void get(Context ctx) {
        ctx.json(contacts.get(Auth.userId(ctx), Params.id(ctx, "id")));
    }

    public void patch(Context ctx) {
        long id = Params.id(ctx, "id");
        Contact.Patch patch = Json.read(ctx, json, Contact.Patch.class);
        ctx.json(contacts.update(Auth.userId(ctx), id, patch, presentFields(ctx)));
    }

    public void delete(Context ctx) {
        contacts.delete(Auth.userId(ctx), Params.id(ctx, "id"));
        ctx.status(204);
    }

    public void addHandle(Context ctx) {
        long id = Params.id(ctx, "id");
        ctx.status(201).json(contacts.addHandle(Auth.userId(ctx), id, Json.read(ctx, json, Contact.HandleRef.class)));
    }

    public void removeHandle(Context ctx) {
        contacts.removeHandle(Auth.userId(ctx), Params.id(ctx, "id"), Params.id(ctx, "handleId"));
        ctx.status(204);
    }

    public void merge(Context ctx) {
        long id = Params.id(ctx, "id");
        ctx.json(contacts.merge(Auth.userId(ctx), id, Json.read(ctx, json, Contact.Merge.class)));
    }

    /** A merge patch tells "absent" (unchanged) from "null" (clear); the record cannot, the tree can. */
    private Set<String> presentFields(Context ctx) {
        try {
            Set<String> present = new HashSet<>();
            JsonNode tree = json.readTree(ctx.bodyAsBytes());
            tree.fieldNames().forEachRemaining(present::add);
            return present;
        } catch (IOException e) {
            throw ApiProblem.badRequest(null, "Send a JSON object as the request body");
        }
    }

    private static Boolean owed(Context ctx) {
        String raw = ctx.queryParam("owed");
        if (raw == null || raw.isBlank()) return null;
        return switch (raw.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiProblem.badRequest("owed", "owed must be true or false");
        };
    }

    private static String tag(Context ctx) {
        String raw = ctx.queryParam("tag");
        if (raw == null || raw.isBlank()) return null;
        if (raw.length() > ContactService.MAX_TAG) throw ApiProblem.badRequest("tag", "tag must be at most " + ContactService.MAX_TAG + " characters");
        return raw.strip();
    }
}
