package org.pumpcds.knowledge;

import java.util.Locale;

/** Whether two diluent names mean the same vehicle (any saline spelling counts as saline). */
public final class Diluents {

    private Diluents() {
    }

    public static boolean same(String diluent, String known) {
        String a = diluent.toLowerCase(Locale.ROOT);
        String b = known.toLowerCase(Locale.ROOT);
        boolean saline = (a.contains("sodium chloride") || a.contains("saline")) && (b.contains("sodium chloride") || b.contains("saline"));
        return saline || b.contains(a) || a.contains(b);
    }
}
