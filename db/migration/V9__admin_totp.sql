-- TOTP two-factor login for admins: the secret sealed with the server key, a pending secret
-- during enrolment, and one-time recovery codes stored as SHA-256 hashes.
ALTER TABLE admin_account ADD COLUMN totp_secret_enc VARCHAR(512);
ALTER TABLE admin_account ADD COLUMN totp_pending_enc VARCHAR(512);
ALTER TABLE admin_account ADD COLUMN totp_enabled BOOLEAN DEFAULT FALSE NOT NULL;

CREATE TABLE admin_recovery_code (
    admin_id  BIGINT      NOT NULL,
    code_hash VARCHAR(64) NOT NULL,
    used_at   TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (admin_id, code_hash),
    CONSTRAINT admin_recovery_code_admin_fk FOREIGN KEY (admin_id) REFERENCES admin_account (id) ON DELETE CASCADE
);
