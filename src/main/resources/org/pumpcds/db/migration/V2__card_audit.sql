-- One row per card returned (written off the request path by CardAuditWriter), with the rules it carried and its
-- suggestions, so feedback (joined by card uuid) can be counted per rule. No patient data: patient_key is an HMAC
-- of the patient id under pumpcds.audit.patient-key.
CREATE TABLE card_audit (
    card_uuid     VARCHAR(64)              NOT NULL PRIMARY KEY,
    service_id    VARCHAR(64)              NOT NULL,
    hook          VARCHAR(32)              NOT NULL,
    hook_instance VARCHAR(128)             NOT NULL,
    indicator     VARCHAR(16)              NOT NULL,
    policy        VARCHAR(64),
    shown_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    patient_key   VARCHAR(64)              NOT NULL
);
CREATE INDEX card_audit_shown_at ON card_audit (shown_at);

CREATE TABLE card_audit_rule (
    card_uuid VARCHAR(64)  NOT NULL REFERENCES card_audit (card_uuid) ON DELETE CASCADE,
    rule_id   VARCHAR(128) NOT NULL,
    status    VARCHAR(32)  NOT NULL,
    indicator VARCHAR(16)  NOT NULL,
    PRIMARY KEY (card_uuid, rule_id)
);
CREATE INDEX card_audit_rule_rule_id ON card_audit_rule (rule_id);

CREATE TABLE card_audit_suggestion (
    suggestion_uuid VARCHAR(64)  NOT NULL PRIMARY KEY,
    card_uuid       VARCHAR(64)  NOT NULL REFERENCES card_audit (card_uuid) ON DELETE CASCADE,
    label           VARCHAR(200) NOT NULL
);
CREATE INDEX card_audit_suggestion_card ON card_audit_suggestion (card_uuid);

-- feedback is joined to the audit by card uuid
CREATE INDEX IF NOT EXISTS feedback_card ON feedback (card_uuid);
