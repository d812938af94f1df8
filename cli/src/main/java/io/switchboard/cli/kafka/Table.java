package io.switchboard.cli.kafka;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Columns padded to their widest cell, for people; numbers right-aligned. */
public final class Table {

    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] numeric;

    public Table(String... header) {
        rows.add(header);
        numeric = new boolean[header.length];
    }

    public Table numeric(int column) {
        numeric[column] = true;
        return this;
    }

    public Table row(Object... cells) {
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = cells[i] == null ? "-" : cells[i].toString();
        }
        rows.add(row);
        return this;
    }

    public void print(PrintWriter out) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                boolean last = i == row.length - 1;
                if (numeric[i]) {
                    line.append(" ".repeat(widths[i] - row[i].length())).append(row[i]);
                } else {
                    line.append(row[i]);
                    if (!last) {
                        line.append(" ".repeat(widths[i] - row[i].length()));
                    }
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
