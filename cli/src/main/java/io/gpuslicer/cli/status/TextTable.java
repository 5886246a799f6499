package io.gpuslicer.cli.status;

import java.util.ArrayList;
import java.util.List;

/** Columns padded to their widest cell, two spaces apart, indented by two; the last column unpadded; an all-empty header is not printed. */
final class TextTable {
    private final List<String[]> rows = new ArrayList<>();

    TextTable(String... header) {
        rows.add(header);
    }

    TextTable row(String... cells) {
        rows.add(cells);
        return this;
    }

    boolean isEmpty() {
        return rows.size() == 1;
    }

    void appendTo(StringBuilder out) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns - 1; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            if (java.util.Arrays.stream(row).allMatch(String::isEmpty)) {
                continue;
            }
            StringBuilder line = new StringBuilder("  ");
            for (int c = 0; c < columns - 1; c++) {
                line.append(row[c]).append(" ".repeat(width[c] - row[c].length() + 2));
            }
            line.append(row[columns - 1]);
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
