package dev.cadre.protocol;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a text is not JSON, in words a sender can act on: "malformed JSON at line L, column C: what is wrong". The one
 * rule for every message body and REST body. Jackson's own messages name its classes and settings ("bound as
 * `...JsonNode`", "enable `JsonReadFeature...`", "[Source: REDACTED ...]"), which are the receiver's insides, not the
 * sender's mistake.
 */
public final class MalformedJson {
    private static final Pattern CHARACTER = Pattern.compile(
            "Unexpected character \\('.*' \\(code (\\d+)\\)\\)(?: in numeric value)?: (.*)", Pattern.DOTALL);
    private static final Pattern ILLEGAL = Pattern.compile(
            "Illegal (unquoted )?character \\(.*code (\\d+)\\)\\):.*", Pattern.DOTALL);
    private static final Pattern TOKEN = Pattern.compile("(?:Unrecognized|Non-standard) token '(.*)':.*",
            Pattern.DOTALL);
    private static final Pattern LIMIT = Pattern.compile(
            "(Number value|String value|Name|Document nesting depth)(?: length)? \\((\\d+)\\) exceeds the maximum"
                    + " allowed \\((\\d+).*", Pattern.DOTALL);
    private static final Pattern OPENED_AT = Pattern.compile("line: (\\d+), column: (\\d+)");
    private static final Pattern CLOSE = Pattern.compile("Unexpected close marker '(.)': expected '(.)'.*",
            Pattern.DOTALL);
    private static final Pattern ESCAPE = Pattern.compile("Unrecognized character escape '.*' \\(code (\\d+)\\)",
            Pattern.DOTALL);

    /** What Jackson's "Unexpected character (...): ..." says was expected, by a piece of its words, and ours. */
    private static final String[][] EXPECTATIONS = {
            {"comma to separate object", "where a comma between the object's fields was expected"},
            {"comma to separate array", "where a comma between the array's values was expected"},
            {"double-quote to start field name", "where a field name in double quotes was expected"},
            {"colon to separate field name", "where a colon after the field name was expected"},
            {"comment", "starts a comment, which JSON does not have"},
            {"minus sign", "after a minus sign, where a digit was expected"},
            {"decimal point", "after a decimal point, where a digit was expected"},
            {"exponent", "in a number's exponent, where a digit was expected"},
            {"hex-digit", "in a \\u escape, where a hexadecimal digit was expected"},
            {"expected a valid value", "where a value was expected: a string in double quotes, a number, an array,"
                    + " an object, true, false or null"}};
    private static final String SECOND_VALUE = "more than one JSON value; send one";

    private MalformedJson() {
    }

    /**
     * @param e what the parser threw
     * @param parser the parser that threw, for where it stood (a limit carries no place of its own) and whether a
     *        whole value was read before; or null
     */
    public static String describe(JacksonException e, JsonParser parser) {
        JsonLocation where = known(e.getLocation()) || parser == null ? e.getLocation() : parser.currentLocation();
        // Past the first value at the top, whatever comes is one value too many ("{...} trailing").
        boolean second = parser != null && parser.getParsingContext() != null && parser.getParsingContext().inRoot()
                && parser.getParsingContext().getCurrentIndex() >= 1;
        return "malformed JSON" + (known(where) ? " at line " + where.getLineNr() + ", column " + where.getColumnNr()
                : "") + ": " + (second ? SECOND_VALUE : problem(String.valueOf(e.getOriginalMessage())));
    }

    private static boolean known(JsonLocation where) {
        return where != null && where.getLineNr() >= 1 && where.getColumnNr() >= 1;
    }

    /** What is wrong, from Jackson's message; its wording is only read here. */
    static String problem(String message) {
        Matcher m;
        if (message.startsWith("Unexpected end-of-input")) {
            return endOfInput(message);
        }
        if ((m = CHARACTER.matcher(message)).matches()) {
            return character(Integer.parseInt(m.group(1))) + " " + expectation(m.group(2));
        }
        if ((m = ILLEGAL.matcher(message)).matches()) {
            String c = character(Integer.parseInt(m.group(2)));
            return m.group(1) != null ? c + " inside a string; write it escaped with a backslash (\\n, \\t, \\u0000)"
                    : c + " between values; only spaces, tabs and line breaks may stand there";
        }
        if ((m = TOKEN.matcher(message)).matches()) {
            return "unrecognized word '" + printable(m.group(1)) + "'; expected a value: a string in double quotes,"
                    + " a number, an array, an object, true, false or null";
        }
        if (message.startsWith("Duplicate field '") && message.endsWith("'")) {
            return "field '" + printable(message.substring(17, message.length() - 1)) + "' is given twice";
        }
        if ((m = LIMIT.matcher(message)).matches()) {
            return limit(m.group(1), m.group(2), m.group(3));
        }
        if (message.startsWith("Trailing token")) {
            return SECOND_VALUE;
        }
        if ((m = CLOSE.matcher(message)).matches()) {
            return "'" + m.group(1) + "' closes " + opened(message, m.group(2).equals("]") ? "array" : "object")
                    + ", which needs '" + m.group(2) + "'";
        }
        if ((m = ESCAPE.matcher(message)).matches()) {
            return "unknown escape \\" + printable(String.valueOf((char) Integer.parseInt(m.group(1))))
                    + " in a string; JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX";
        }
        if (message.startsWith("Invalid numeric value: ")) {
            return "invalid number: " + withoutInsides(message.substring(23)).toLowerCase(java.util.Locale.ROOT);
        }
        if (message.startsWith("Invalid UTF-8")) {
            return "the text is not valid UTF-8";
        }
        return withoutInsides(message);
    }

    private static String endOfInput(String message) {
        if (message.contains("close marker for Object")) {
            return "the text ends before " + opened(message, "object") + " is closed with '}'";
        }
        if (message.contains("close marker for Array")) {
            return "the text ends before " + opened(message, "array") + " is closed with ']'";
        }
        if (message.contains("Array entries")) {
            return "the text ends inside an array, before it is closed with ']'";
        }
        if (message.contains("Object entries")) {
            return "the text ends inside an object, before it is closed with '}'";
        }
        if (message.contains("closing quote")) {
            return "the text ends inside a string, before its closing double quote";
        }
        return "the text ends before the JSON value is complete";
    }

    /** "the object opened at line 1, column 1", where Jackson's message gives the place. */
    private static String opened(String message, String kind) {
        Matcher at = OPENED_AT.matcher(message);
        return at.find() ? "the " + kind + " opened at line " + at.group(1) + ", column " + at.group(2)
                : "an " + kind;
    }

    private static String expectation(String jackson) {
        String s = jackson.toLowerCase(java.util.Locale.ROOT);
        for (String[] e : EXPECTATIONS) {
            if (s.contains(e[0])) {
                return e[1];
            }
        }
        return "where it cannot stand: " + withoutInsides(jackson);
    }

    private static String character(int code) {
        char c = (char) code;
        return Character.isISOControl(c) || Character.isWhitespace(c) || !Character.isDefined(c)
                ? String.format("control character U+%04X", code) : "character '" + c + "'";
    }

    private static String limit(String what, String found, String max) {
        switch (what) {
            case "Number value":
                return "a number of " + found + " characters; at most " + max + " are allowed";
            case "String value":
                return "a string of " + found + " characters; at most " + max + " are allowed";
            case "Name":
                return "a field name of " + found + " characters; at most " + max + " are allowed";
            default:
                return "arrays and objects nested " + found + " deep; at most " + max + " levels are allowed";
        }
    }

    /** A quoted piece of the sender's text, cut short and with control characters shown as '?'. */
    static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return PrintableText.masked(cut);
    }

    /** A message this class has no words for, without the parser's class, setting and source names. */
    private static String withoutInsides(String message) {
        String firstLine = message.lines().findFirst().orElse("");
        return firstLine.replaceAll("\\s*\\((?:start marker at|for \\w+ starting at) \\[Source:[^]]*]\\)", "")
                .replaceAll("\\s*\\((?:bound as|through reference chain|not recognized as one)[^)]*\\)", "")
                .replaceAll("[:;,]?\\s*(?:enable|not allowed as per)\\s*`[^`]*`[^;:]*", "")
                .replaceAll("`[A-Za-z_$][\\w$]*(?:\\.[\\w$]+)+(?:\\(\\))?`", "a value")
                .replaceAll("\\s*\\[Source:[^]]*]", "").replace("`", "'");
    }
}
