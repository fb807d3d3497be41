package io.nfchain.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Thread-safe (stateless). Reads the CLI's tables back (cells are two or more spaces apart) for tests. */
final class TableText {
    private TableText() {}

    /** The rows of the {@code index}th table in {@code text} (tables are separated by blank lines), header to cell. */
    static List<Map<String, String>> rows(String text, int index) {
        String[] tables = text.split("\n\n");
        String[] lines = tables[index].split("\n");
        String[] headers = lines[0].trim().split(" {2,}");
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].trim().split(" {2,}");
            if (cells.length != headers.length) {
                throw new AssertionError("row " + i + " has " + cells.length + " cells for " + headers.length
                        + " headers:\n" + tables[index]);
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < headers.length; c++) {
                row.put(headers[c], cells[c]);
            }
            rows.add(row);
        }
        return rows;
    }

    /** The first row whose first column is {@code key}. */
    static Map<String, String> row(List<Map<String, String>> rows, String key) {
        return rows.stream().filter(r -> r.values().iterator().next().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + key + " in " + rows));
    }
}
