package io.nfchain.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;

/** Writes the one-line JSON object a suite ends with: strings, numbers, booleans, nested objects. */
final class Json {
    private static final MathContext SIGNIFICANT_DIGITS = new MathContext(6);

    private Json() {}

    static String object(Map<String, ?> fields) {
        StringBuilder out = new StringBuilder();
        writeObject(out, fields);
        return out.toString();
    }

    private static void writeObject(StringBuilder out, Map<?, ?> fields) {
        out.append('{');
        boolean first = true;
        for (var field : fields.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(out, String.valueOf(field.getKey()));
            out.append(':');
            writeValue(out, field.getValue());
        }
        out.append('}');
    }

    private static void writeValue(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case Boolean b -> out.append(b);
            case Double d when d.isNaN() || d.isInfinite() -> out.append("null");
            case Double d -> out.append(BigDecimal.valueOf(d).round(SIGNIFICANT_DIGITS).stripTrailingZeros().toPlainString());
            case Number n -> out.append(n);
            case Map<?, ?> m -> writeObject(out, m);
            default -> writeString(out, value.toString());
        }
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
