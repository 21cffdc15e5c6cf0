package dev.cadre.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/**
 * Reads the task sets of the scheduler's answers ({@link ClientReply}) and of an array's records ({@link ArrayPart})
 * without the bound that requests' lists have: an answer, and the copy of it kept for a repeated request, must read
 * back whatever the scheduler committed.
 */
final class AnsweredIndexes extends StdDeserializer<ArrayIndexes> {
    AnsweredIndexes() {
        super(ArrayIndexes.class);
    }

    @Override
    public ArrayIndexes deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            return (ArrayIndexes) ctx.handleUnexpectedToken(ArrayIndexes.class, p);
        }
        try {
            return ArrayIndexes.parseAnswered(p.getText());
        } catch (IllegalArgumentException e) {
            return (ArrayIndexes) ctx.handleWeirdStringValue(ArrayIndexes.class, p.getText(), e.getMessage());
        }
    }
}
