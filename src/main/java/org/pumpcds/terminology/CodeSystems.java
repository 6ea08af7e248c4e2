package org.pumpcds.terminology;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Canonical code-system URIs (domain.md section 2.1) and the spellings accepted on input for them. */
public final class CodeSystems {

    public static final String CPT = "http://www.ama-assn.org/go/cpt";
    /** THO canonical uses http://; IGs and CMS Blue Button use other spellings, accepted as aliases. */
    public static final String HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
    public static final String ICD10_PCS = "http://www.cms.gov/Medicare/Coding/ICD10";
    public static final String ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm";
    public static final String SNOMED = "http://snomed.info/sct";
    public static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public static final String LOINC = "http://loinc.org";

    /** Base of every canonical URL this project defines (ValueSets, CodeSystem, profiles). */
    public static final String PROJECT_BASE = "https://pump-cds.github.io/fhir";
    public static final String PUMP_CDS = PROJECT_BASE + "/CodeSystem/pump-cds";

    private static final Map<String, String> ALIASES = Map.of(
            "https://www.cms.gov/medicare/coding/hcpcsreleasecodesets", HCPCS,
            "http://www.cms.gov/medicare/coding/hcpcsreleasecodesets", HCPCS,
            "https://bluebutton.cms.gov/resources/codesystem/hcpcs", HCPCS,
            "http://www.ama-assn.org/go/cpt", CPT,
            "https://www.ama-assn.org/go/cpt", CPT);

    private static final Set<String> CANONICAL = Set.of(HCPCS, ICD10_PCS, ICD10_CM, SNOMED, RXNORM, LOINC, CPT, PUMP_CDS);

    private CodeSystems() {
    }

    /** The canonical form of a system URI: trailing slash removed, known aliases mapped. */
    public static String canonical(String system) {
        if (system == null) {
            return "";
        }
        if (CANONICAL.contains(system)) {
            return system; // the usual case, answered without copying the string
        }
        String trimmed = system.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return ALIASES.getOrDefault(trimmed.toLowerCase(Locale.ROOT), trimmed);
    }
}
