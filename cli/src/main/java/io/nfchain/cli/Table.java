package io.nfchain.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Not thread-safe: one command builds and prints it. A text table whose columns are as wide as
 * their widest cell (header included), two spaces apart; numeric columns are right-aligned, text
 * columns left-aligned, and no line ends in spaces. Nothing is cut: a wide value widens its column.
 */
public final class Table {
    /** How a column's cells line up. */
    public enum Align {
        LEFT, RIGHT
    }

    private static final String GAP = "  ";

    private final List<String> headers = new ArrayList<>();
    private final List<Align> aligns = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();

    /** Adds a left-aligned text column. */
    public Table text(String header) {
        return column(header, Align.LEFT);
    }

    /** Adds a right-aligned numeric column. */
    public Table number(String header) {
        return column(header, Align.RIGHT);
    }

    private Table column(String header, Align align) {
        if (!rows.isEmpty()) {
            throw new IllegalStateException("columns come before rows");
        }
        headers.add(header);
        aligns.add(align);
        return this;
    }

    /** Adds a row with one cell per column; a null or empty cell prints as "-". */
    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        String[] text = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            text[i] = cells[i] == null || cells[i].toString().isEmpty() ? "-" : oneLine(cells[i].toString());
        }
        rows.add(text);
        return this;
    }

    /** Rows added so far. */
    public int size() {
        return rows.size();
    }

    /** The table, one line per row after the header line, each ending in a newline. */
    public String render() {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = width(headers.get(c));
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], width(row[c]));
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers.toArray(String[]::new), widths);
        for (String[] row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    private void line(StringBuilder out, String[] cells, int[] widths) {
        int start = out.length();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                out.append(GAP);
            }
            int pad = widths[c] - width(cells[c]);
            if (aligns.get(c) == Align.RIGHT) {
                out.repeat(' ', pad).append(cells[c]);
            } else {
                out.append(cells[c]).repeat(' ', pad);
            }
        }
        int end = out.length();
        while (end > start && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
        out.append('\n');
    }

    // Characters, not UTF-16 units: a name with a character outside the BMP still lines up.
    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }

    // A value with a line break or tab (free text from the agent) would break every column after it.
    private static String oneLine(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < ' ' || ch == 0x7f) {
                if (b == null) {
                    b = new StringBuilder(s.substring(0, i));
                }
                b.append(' ');
            } else if (b != null) {
                b.append(ch);
            }
        }
        return b == null ? s : b.toString();
    }
}
