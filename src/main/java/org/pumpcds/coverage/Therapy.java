package org.pumpcds.coverage;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What the pump is for, from the drug it will deliver (route and ingredient). Policy files name it by {@link #id()}. */
public enum Therapy {
    HEPATIC_ARTERIAL_CHEMOTHERAPY,
    INTRAPERITONEAL_CHEMOTHERAPY,
    INTRATHECAL_BACLOFEN,
    NEURAXIAL_ANALGESIA,
    TREPROSTINIL,
    INSULIN,
    HEPARIN,
    ANTIBIOTIC,
    OTHER,
    /** No drug for the pump on the order or active on record. */
    UNKNOWN;

    /** How a policy file's {@code when.therapy} names it, e.g. {@code neuraxial-analgesia}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Set<String> ids() {
        return Arrays.stream(values()).map(Therapy::id).collect(Collectors.toUnmodifiableSet());
    }
}
