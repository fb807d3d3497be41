package io.nfchain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void columnsFitTheirWidestCellNumbersAlignRightTextLeft() {
        String out = new Table().text("NAME").number("RX").text("STATE")
                .row("gen0", "5", "up")
                .row("a-much-longer-port-name", "123456789", "down: peer closed")
                .render();
        assertEquals("""
                NAME                            RX  STATE
                gen0                             5  up
                a-much-longer-port-name  123456789  down: peer closed
                """, out);
    }

    @Test
    void aHeaderWiderThanItsCellsSetsTheWidth() {
        assertEquals("""
                DROPPED_DOWN  X
                           1  y
                """, new Table().number("DROPPED_DOWN").text("X").row(1L, "y").render());
    }

    @Test
    void nullAndEmptyCellsPrintAsDashAndNoLineEndsInSpaces() {
        String out = new Table().text("A").text("B").number("C").row(null, "", null).row("wide value", "b", 7).render();
        assertEquals("""
                A           B  C
                -           -  -
                wide value  b  7
                """, out);
        out.lines().forEach(l -> assertFalse(l.endsWith(" "), "'" + l + "'"));
    }

    @Test
    void lineBreaksAndTabsInValuesCannotBreakTheTable() {
        String out = new Table().text("A").text("B").row("x\ny\tz", "b").render();
        assertEquals("A      B\nx y z  b\n", out);
    }

    @Test
    void widthCountsCharactersNotUtf16Units() {
        String emoji = "\uD83D\uDE80"; // one character, two UTF-16 units
        String out = new Table().text("N").number("V").row(emoji + "ab", 1).row("abcd", 22).render();
        assertEquals("N      V\n" + emoji + "ab    1\nabcd  22\n", out);
    }

    @Test
    void anEmptyTableIsItsHeader() {
        assertEquals("NAME  VALUE\n", new Table().text("NAME").number("VALUE").render());
    }

    @Test
    void rowsMustMatchTheColumns() {
        Table t = new Table().text("A").text("B");
        assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
        t.row("a", "b");
        assertThrows(IllegalStateException.class, () -> t.text("C"));
    }

    /** Random tables: every column starts at the same offset on every line, and right-aligned cells end together. */
    @Test
    void randomTablesStayAligned() {
        Random random = new Random(5);
        for (int round = 0; round < 500; round++) {
            int columns = 1 + random.nextInt(6);
            Table t = new Table();
            boolean[] right = new boolean[columns];
            for (int c = 0; c < columns; c++) {
                right[c] = random.nextBoolean();
                String header = "H" + c + "x".repeat(random.nextInt(4));
                if (right[c]) {
                    t.number(header);
                } else {
                    t.text(header);
                }
            }
            int rows = random.nextInt(8);
            String[][] cells = new String[rows][columns];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    cells[r][c] = right[c] ? Long.toString(random.nextLong(1L << random.nextInt(63)))
                            : "v" + "w".repeat(random.nextInt(30));
                }
                t.row((Object[]) cells[r]);
            }
            String[] lines = t.render().split("\n");
            assertEquals(rows + 1, lines.length);
            int[][] headerSpans = spans(lines[0], columns);
            for (int r = 0; r < rows; r++) {
                int[][] spans = spans(lines[r + 1], columns);
                for (int c = 0; c < columns; c++) {
                    assertEquals(cells[r][c], lines[r + 1].substring(spans[c][0], spans[c][1]));
                    if (right[c]) {
                        assertEquals(headerSpans[c][1], spans[c][1], "right-aligned ends under its header:\n" + t.render());
                    } else {
                        assertEquals(headerSpans[c][0], spans[c][0], "left-aligned starts under its header:\n" + t.render());
                    }
                }
            }
            assertTrue(t.render().lines().noneMatch(l -> l.endsWith(" ")));
        }
    }

    /** Start and end of each of the {@code columns} cells of a line (cells are two or more spaces apart). */
    private static int[][] spans(String line, int columns) {
        int[][] spans = new int[columns][2];
        int at = 0;
        for (int c = 0; c < columns; c++) {
            while (line.charAt(at) == ' ') {
                at++;
            }
            int end = line.indexOf("  ", at);
            end = end < 0 ? line.length() : end;
            spans[c][0] = at;
            spans[c][1] = end;
            at = end;
        }
        assertEquals(line.length(), at, "no more cells in '" + line + "'");
        return spans;
    }
}
