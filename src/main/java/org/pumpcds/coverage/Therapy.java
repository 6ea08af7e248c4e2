package org.pumpcds.coverage;

/** What the pump is for, from the drug it will deliver (route and ingredient). */
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
    UNKNOWN
}
