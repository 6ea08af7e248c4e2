package org.pumpcds.findings;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Card urgency, ordered from least to most urgent. */
public enum Indicator {
    INFO, WARNING, CRITICAL;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
