package reciprocity.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;

/** The one JSON configuration: strict on input (unknown fields, wrong types, trailing data are errors), RFC 3339 times on output. */
public final class Json {
    private Json() {}

    public static ObjectMapper mapper() {
        return mapper(true);
    }

    /** As {@link #mapper()}, with or without the fast path for times (a test compares the two). */
    static ObjectMapper mapper(boolean fastInstants) {
        ObjectMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
        // A number or boolean where text belongs is a client mistake, not something to guess at.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // PostgreSQL cannot store a NUL character in text: refuse it at the door as a 400, not a 500 later.
        mapper.registerModule(new SimpleModule("no-nul")
                .addDeserializer(String.class, new com.fasterxml.jackson.databind.deser.std.StringDeserializer() {
                    @Override
                    public String deserialize(com.fasterxml.jackson.core.JsonParser p,
                                              com.fasterxml.jackson.databind.DeserializationContext ctxt) throws IOException {
                        String value = super.deserialize(p, ctxt);
                        if (value != null && value.indexOf('\u0000') >= 0) {
                            throw com.fasterxml.jackson.databind.exc.InvalidFormatException.from(p, "text must not contain NUL characters", value, String.class);
                        }
                        return value;
                    }
                }));
        // Times in the usual ISO shape are read without java.time's formatters; anything else goes to them as before.
        if (fastInstants) {
            mapper.registerModule(new SimpleModule("fast-instants")
                    .addDeserializer(Instant.class, new FastInstant()));
        }
        // Deeply nested or huge documents are refused early rather than parsed.
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(300_000).build());
        return mapper;
    }

    /** {@link IsoInstants} first, then the JavaTimeModule's own deserializer, which also gives the errors. */
    static final class FastInstant extends StdScalarDeserializer<Instant> {
        FastInstant() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                Instant t = IsoInstants.parse(p.getText());
                if (t != null) return t;
            }
            return InstantDeserializer.INSTANT.deserialize(p, ctxt);
        }
    }

    /** Reads the request body as {@code type}; an empty body, bad JSON or an unknown field is a 400. */
    public static <T> T read(Context ctx, ObjectMapper mapper, Class<T> type) {
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0) throw ApiProblem.badRequest(null, "Send a JSON object as the request body");
        try {
            T value = mapper.readValue(body, type);
            if (value == null) throw ApiProblem.badRequest(null, "Send a JSON object as the request body");
            return value;
        } catch (JsonProcessingException e) {
            throw Problems.fromJson(e);
        } catch (IOException e) {
            throw ApiProblem.badRequest(null, "The request body could not be read");
        }
    }
}
