package org.pumpcds.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A patient id as the audit keeps it: HMAC-SHA256 under a secret key, so rows of one patient can be grouped but the
 * id cannot be recovered or guessed from a list of ids without the key. Several instances on one database must
 * share the key ({@code pumpcds.audit.patient-key}); without one, each start draws a random key.
 */
public final class PatientKey {

    /** Shortest secret accepted, in characters: an HMAC key should carry at least 256 bits. */
    public static final int MIN_SECRET_LENGTH = 32;

    private final SecretKeySpec key;
    /** A Mac per thread, keyed once, rather than a provider lookup and key setup on every call. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    private PatientKey(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** A key from the configured secret. */
    public static PatientKey of(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("pumpcds.audit.patient-key must be at least " + MIN_SECRET_LENGTH
                    + " characters (a random secret; every instance on one database needs the same)");
        }
        return new PatientKey(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** A key for this process only: hashes will not match another instance's or the next start's. */
    public static PatientKey random() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new PatientKey(secret);
    }

    /** The hex HMAC of the patient id (64 characters). */
    public String hash(String patientId) {
        return HexFormat.of().formatHex(macs.get().doFinal(patientId.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
