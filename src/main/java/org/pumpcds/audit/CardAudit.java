package org.pumpcds.audit;

import java.time.Clock;
import java.util.List;
import org.pumpcds.api.Card;

/** Records the cards of one answer, before it is sent: the host calls it once per call that returned cards. */
public final class CardAudit {

    private final CardAuditWriter writer;
    private final PatientKey patientKey;
    private final Clock clock;

    public CardAudit(CardAuditWriter writer, PatientKey patientKey, Clock clock) {
        this.writer = writer;
        this.patientKey = patientKey;
        this.clock = clock;
    }

    public void shown(String serviceId, String hook, String hookInstance, String patientId, List<Card> cards) {
        if (cards.isEmpty()) {
            return;
        }
        String patient = patientKey.hash(patientId);
        var now = clock.instant();
        writer.record(cards.stream().map(card -> AuditedCard.of(card, serviceId, hook, hookInstance, patient, now)).toList());
    }
}
