package org.pumpcds.compounding;

import java.util.Locale;
import java.util.Optional;

/** The pharmacy rules a compounded preparation is held to, by the dispensing pharmacy's state. */
public enum Jurisdiction {
    MA("ma-2024-02", "MA", "MASSACHUSETTS"),
    UT("ut-r156-17b-614a", "UT", "UTAH");

    private final String policyId;
    private final String code;
    private final String name;

    Jurisdiction(String policyId, String code, String name) {
        this.policyId = policyId;
        this.code = code;
        this.name = name;
    }

    public String policyId() {
        return policyId;
    }

    /** Rules of these states are encoded; any other state falls back to the configured default. */
    public static Optional<Jurisdiction> ofState(String state) {
        if (state == null) {
            return Optional.empty();
        }
        String wanted = state.trim().toUpperCase(Locale.ROOT);
        for (Jurisdiction j : values()) {
            if (j.code.equals(wanted) || j.name.equals(wanted)) {
                return Optional.of(j);
            }
        }
        return Optional.empty();
    }
}
