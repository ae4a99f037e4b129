package reciprocity.imports;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;

/** Walking big JSON arrays one element at a time, so a 200 MB tweets.js never sits in memory. */
final class JsonStream {
    static final ObjectMapper TREES = new ObjectMapper(FormatReader.JSON);

    private JsonStream() {}

    interface Element {
        void accept(JsonNode node, int index, long line);
    }

    static JsonParser parser(InputStream in) throws IOException {
        return TREES.createParser(in);
    }

    /**
     * Hands each element of the array the parser stands on (at START_ARRAY) to {@code element}. JSON that breaks or
     * ends part-way becomes one error entry; the elements before it stand.
     */
    static void eachElement(JsonParser p, String file, Sink sink, Element element) throws IOException {
        int index = 0;
        long line = p.currentLocation().getLineNr();
        try {
            while (true) {
                JsonToken t = p.nextToken();
                line = p.currentTokenLocation().getLineNr();
                if (t == JsonToken.END_ARRAY) return;
                if (t == null) {
                    sink.accept(Entry.error(file + "[" + index + "]", line, "the file ends in the middle of the JSON (cut short?); the rest was not read"));
                    return;
                }
                JsonNode node = TREES.readTree(p);
                element.accept(node, index++, line);
            }
        } catch (JsonProcessingException e) {
            sink.accept(Entry.error(file + "[" + index + "]", line,
                    "the JSON is broken here (" + FormatReader.clip(e.getOriginalMessage(), 200) + "); the rest of the file was not read"));
        } catch (IOException e) {
            // A zip or tar entry that ends early (a truncated archive).
            sink.accept(Entry.error(file + "[" + index + "]", line, "the file is cut short here (" + FormatReader.clip(e.getMessage(), 200)
                    + "); the rest of it was not read"));
        }
    }

    /** Moves to the value of top-level field {@code name} of the object the parser opens; false when there is none. */
    static boolean toField(JsonParser p, String name) throws IOException {
        if (p.currentToken() == null) p.nextToken();
        if (p.currentToken() != JsonToken.START_OBJECT) return false;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (field.equals(name)) return true;
            p.skipChildren();
        }
        return false;
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }
}
