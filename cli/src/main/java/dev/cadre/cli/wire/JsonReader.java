package dev.cadre.cli.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RFC 8259 JSON text to {@link Json} values, strictly: no comments, no trailing commas, no leading zeros. */
final class JsonReader {
    /** The REST API nests a few levels; a deeper document is not an answer of Cadre's. */
    private static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;
    private int depth;

    JsonReader(String text) {
        this.text = text;
    }

    Json document() {
        Json v = value();
        skipBlanks();
        if (pos < text.length()) {
            throw error("unexpected text after the value");
        }
        return v;
    }

    private Json value() {
        skipBlanks();
        if (pos >= text.length()) {
            throw error("the text ends where a value should be");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> new Json(Json.Kind.STRING, string());
            case 't' -> literal("true", new Json(Json.Kind.BOOLEAN, Boolean.TRUE));
            case 'f' -> literal("false", new Json(Json.Kind.BOOLEAN, Boolean.FALSE));
            case 'n' -> literal("null", Json.NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Json object() {
        enter();
        pos++;
        Map<String, Json> members = new LinkedHashMap<>();
        skipBlanks();
        if (peek() == '}') {
            pos++;
            depth--;
            return new Json(Json.Kind.OBJECT, members);
        }
        while (true) {
            skipBlanks();
            if (peek() != '"') {
                throw error("expected a member name");
            }
            String name = string();
            skipBlanks();
            expect(':');
            if (members.put(name, value()) != null) {
                throw error("duplicate member '" + name + "'");
            }
            skipBlanks();
            char c = next();
            if (c == '}') {
                depth--;
                return new Json(Json.Kind.OBJECT, members);
            }
            if (c != ',') {
                throw error("expected ',' or '}'");
            }
        }
    }

    private Json array() {
        enter();
        pos++;
        List<Json> elements = new ArrayList<>();
        skipBlanks();
        if (peek() == ']') {
            pos++;
            depth--;
            return new Json(Json.Kind.ARRAY, elements);
        }
        while (true) {
            elements.add(value());
            skipBlanks();
            char c = next();
            if (c == ']') {
                depth--;
                return new Json(Json.Kind.ARRAY, elements);
            }
            if (c != ',') {
                throw error("expected ',' or ']'");
            }
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
    }

    private String string() {
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("a string is not closed");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("a control character inside a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("a \\u escape is cut short");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("a \\u escape is not hexadecimal");
                    }
                    pos += 4;
                }
                default -> throw error("unknown escape '\\" + e + "'");
            }
        }
    }

    private Json number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw error("a number without digits");
        }
        boolean integral = true;
        if (peek() == '.') {
            pos++;
            integral = false;
            if (!digits()) {
                throw error("no digits after the decimal point");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            integral = false;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw error("no digits in the exponent");
            }
        }
        String lexeme = text.substring(start, pos);
        if (integral) {
            try {
                return new Json(Json.Kind.NUMBER, Long.parseLong(lexeme));
            } catch (NumberFormatException e) {
                // Beyond a long: kept approximately, which no field of Cadre's needs.
            }
        }
        return new Json(Json.Kind.NUMBER, Double.parseDouble(lexeme));
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private Json literal(String word, Json value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected text");
        }
        pos += word.length();
        return value;
    }

    private void skipBlanks() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private char next() {
        if (pos >= text.length()) {
            throw error("the text ends early");
        }
        return text.charAt(pos++);
    }

    private void expect(char c) {
        if (next() != c) {
            throw error("expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("not JSON at offset " + pos + ": " + what);
    }
}
