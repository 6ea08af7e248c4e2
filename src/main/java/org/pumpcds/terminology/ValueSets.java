package org.pumpcds.terminology;

/** Canonical URLs of the ValueSets in {@code fhir-profiles/} that code refers to. */
public final class ValueSets {

    private static final String BASE = CodeSystems.PROJECT_BASE + "/ValueSet/";

    public static final String PUMP_PROCEDURES = BASE + "pump-procedures";
    public static final String PUMP_DEVICES = BASE + "pump-devices";
    public static final String PUMP_ROUTES = BASE + "pump-routes";
    public static final String PUMP_ROUTES_INTRAVENOUS = BASE + "pump-routes-intravenous";

    private ValueSets() {
    }

    /** The canonical URL of the ValueSet with this id in fhir-profiles/ (ValueSet-{id}.json). */
    public static String of(String id) {
        return BASE + id;
    }
}
