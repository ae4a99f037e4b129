package reciprocity.imports;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import reciprocity.interactions.InteractionService;
import reciprocity.ledger.PersonRef;

/**
 * Our own `GET /v1/export` document, read back: identities, then contacts (with handles, notes, tags, cadence), then
 * interactions (onto those contacts; obligations re-derive from them), then the dismissed and snoozed states of the
 * exported obligations, carried onto the re-derived ones. The sections may come in any order: each is its own pass.
 */
final class ExportReader implements FormatReader {
    private static final String FILE = "export";

    @Override
    public void read(Archive archive, Known known, Sink sink) throws IOException {
        Archive.Part part = null;
        for (Archive.Part p : archive.parts()) {
            if (archive.single() || p.name().endsWith(".json")) {
                part = p;
                break;
            }
        }
        if (part == null) throw new ImportFailed("No JSON file found; expected the document GET /v1/export returns");
        header(archive, part, sink);
        List<Entry.ObligationState> states = new ArrayList<>();
        section(archive, part, "obligations", sink, (o, i, line) -> {
            String state = JsonStream.text(o, "state");
            if (!"dismissed".equals(state) && !"snoozed".equals(state)) return;
            Instant until = null;
            try {
                if ("snoozed".equals(state)) until = Dates.parse(JsonStream.text(o, "snoozedUntil"));
            } catch (IllegalArgumentException e) {
                return;
            }
            states.add(new Entry.ObligationState(JsonStream.text(o, "type"), longOf(o, "interactionId"), longOf(o, "contactId"), state, until));
        });
        java.util.Set<Long> wanted = new java.util.HashSet<>();
        states.forEach(st -> {
            if (st.interactionRef() != null) wanted.add(st.interactionRef());
        });
        Map<Long, Map<String, String>> handlesOf = new HashMap<>();
        section(archive, part, "contacts", sink, (c, i, line) -> {
            String entry = "contacts[" + i + "]";
            Long id = longOf(c, "id");
            String name = JsonStream.text(c, "displayName");
            if (id == null || name == null) {
                sink.accept(Entry.error(entry, line, "a contact needs id and displayName"));
                return;
            }
            List<PersonRef> handles = new ArrayList<>();
            Map<String, String> byPlatform = new HashMap<>();
            for (JsonNode h : c.path("handles")) {
                String platform = JsonStream.text(h, "platform"), handle = JsonStream.text(h, "handle");
                if (platform != null && handle != null) {
                    handles.add(FormatReader.handle(platform, handle));
                    byPlatform.putIfAbsent(platform, handle);
                } else if (JsonStream.text(h, "url") != null) {
                    handles.add(FormatReader.url(JsonStream.text(h, "url")));
                }
            }
            handlesOf.put(id, byPlatform);
            List<String> tags = new ArrayList<>();
            c.path("tags").forEach(t -> tags.add(t.asText()));
            Integer cadence = c.hasNonNull("cadenceDays") && c.get("cadenceDays").canConvertToInt() ? c.get("cadenceDays").asInt() : null;
            sink.accept(Entry.contact(entry, line, new Entry.Contact(name, JsonStream.text(c, "notes"), tags, cadence, handles), id));
        });
        section(archive, part, "interactions", sink, (n, i, line) -> {
            String entry = "interactions[" + i + "]";
            Long contact = longOf(n, "contactId");
            if (contact == null) {
                sink.accept(Entry.error(entry, line, "an interaction needs contactId"));
                return;
            }
            Instant at;
            try {
                at = Dates.parse(JsonStream.text(n, "occurredAt"));
            } catch (IllegalArgumentException e) {
                sink.accept(Entry.error(entry, line, "occurredAt: " + e.getMessage()));
                return;
            }
            String platform = JsonStream.text(n, "platform");
            String handle = platform == null ? null : handlesOf.getOrDefault(contact, Map.of()).get(platform);
            PersonRef person = handle != null ? FormatReader.handle(platform, handle) : new PersonRef(null, null, null, contact);
            sink.accept(Entry.exported(entry, line, new InteractionService.Create(person, JsonStream.text(n, "direction"),
                    JsonStream.text(n, "kind"), JsonStream.text(n, "url"), JsonStream.text(n, "threadUrl"), at, JsonStream.text(n, "note"),
                    JsonStream.text(n, "source"), JsonStream.text(n, "externalId")), wanted.contains(longOf(n, "id")) ? longOf(n, "id") : null));
        });
        for (int i = 0; i < states.size(); i++) sink.accept(Entry.obligation("obligations[" + i + "]", states.get(i)));
    }

    private static Long longOf(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.canConvertToLong() ? v.asLong() : null;
    }

    private static void header(Archive archive, Archive.Part part, Sink sink) throws IOException {
        try (InputStream in = archive.open(part); JsonParser p = JsonStream.parser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new ImportFailed("This is not a Reciprocity export: expected a JSON object");
            String format = null;
            JsonNode version = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "format" -> format = p.getValueAsString();
                    case "version" -> version = JsonStream.TREES.readTree(p);
                    case "identities" -> {
                        for (JsonNode id : (JsonNode) JsonStream.TREES.readTree(p)) {
                            String platform = JsonStream.text(id, "platform"), handle = JsonStream.text(id, "handle");
                            if (platform != null && handle != null) sink.identity(platform, handle);
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (!"reciprocity-export".equals(format)) {
                throw new ImportFailed("This is not a Reciprocity export: `format` is " + (format == null ? "missing" : "`" + FormatReader.clip(format, 50) + "`")
                        + ", expected `reciprocity-export`");
            }
            if (version == null || version.asInt() != 1) throw new ImportFailed("This export is version " + version + "; this server reads version 1");
        } catch (JsonProcessingException e) {
            throw new ImportFailed("This is not a Reciprocity export: " + FormatReader.clip(e.getOriginalMessage(), 200));
        }
    }

    private static void section(Archive archive, Archive.Part part, String name, Sink sink, JsonStream.Element element) throws IOException {
        try (InputStream in = archive.open(part); JsonParser p = JsonStream.parser(in)) {
            if (!JsonStream.toField(p, name)) return;
            if (p.currentToken() != JsonToken.START_ARRAY) {
                sink.accept(Entry.error(name, null, name + " is not an array"));
                return;
            }
            JsonStream.eachElement(p, FILE + "." + name, sink, element);
        } catch (JsonProcessingException e) {
            sink.accept(Entry.error(name, null, "the JSON is broken before " + name + " (" + FormatReader.clip(e.getOriginalMessage(), 200) + ")"));
        }
    }
}
