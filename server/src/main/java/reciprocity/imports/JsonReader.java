package reciprocity.imports;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import reciprocity.interactions.InteractionService;
import reciprocity.web.Json;

/** The generic JSON: an array of InteractionCreate objects (as `POST /v1/interactions` takes), or `{"items": [...]}`. */
final class JsonReader implements FormatReader {
    private static final ObjectMapper STRICT = Json.mapper();

    @Override
    public void read(Archive archive, Known known, Sink sink) throws IOException {
        boolean any = false;
        for (Archive.Part part : archive.parts()) {
            if (!archive.single() && !part.name().endsWith(".json")) continue;
            any = true;
            String file = archive.single() ? "upload.json" : part.path();
            try (InputStream in = archive.open(part); JsonParser p = JsonStream.parser(in)) {
                JsonToken first;
                try {
                    first = p.nextToken();
                } catch (JsonProcessingException e) {
                    throw new ImportFailed(file + " is not JSON: " + FormatReader.clip(e.getOriginalMessage(), 200));
                }
                if (first == JsonToken.START_OBJECT) {
                    if (!JsonStream.toField(p, "items") || p.currentToken() != JsonToken.START_ARRAY) {
                        throw new ImportFailed(file + " is a JSON object without an `items` array; expected [ {person, direction, kind, ...}, ... ] or {\"items\": [...]}");
                    }
                } else if (first != JsonToken.START_ARRAY) {
                    throw new ImportFailed(file + " is not a JSON array of interactions; expected [ {person, direction, kind, ...}, ... ] or {\"items\": [...]}");
                }
                JsonStream.eachElement(p, file, sink, (node, index, line) -> {
                    String entry = "items[" + index + "]";
                    try {
                        InteractionService.Create c = STRICT.treeToValue(node, InteractionService.Create.class);
                        if (c == null) throw new IllegalArgumentException("an interaction object is required");
                        sink.accept(Entry.interaction(entry, line, new InteractionService.Create(c.person(), c.direction(), c.kind(),
                                c.url(), c.threadUrl(), c.occurredAt(), c.note(), c.source() == null ? "import:json" : c.source(), c.externalId())));
                    } catch (JsonProcessingException e) {
                        // Said as the API says it for the same object in POST /v1/interactions.
                        sink.accept(Entry.error(entry, line, FormatReader.clip(reciprocity.web.Problems.fromJson(e).getMessage(), 300)));
                    } catch (IllegalArgumentException e) {
                        sink.accept(Entry.error(entry, line, e.getMessage()));
                    }
                });
            }
        }
        // An archive with nothing this format reads: say so rather than finish having imported nothing.
        if (!any) throw FormatReader.noPart(archive, "json");
    }
}
