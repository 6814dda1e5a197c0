-- Port forwards of the host firewall (docs/firewall.md): protocol + public port on the gateway host
-- to a port of one VM (DNAT). One forward per public port and protocol; forwards go with their VM.
CREATE SEQUENCE vm_port_forward_seq START WITH 1 INCREMENT BY 1;

CREATE TABLE vm_port_forward (
    id          BIGINT      NOT NULL PRIMARY KEY,
    vm_id       BIGINT      NOT NULL,
    protocol    VARCHAR(3)  NOT NULL,
    public_port INTEGER     NOT NULL,
    vm_port     INTEGER     NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT vm_port_forward_vm_fk FOREIGN KEY (vm_id) REFERENCES vm (id) ON DELETE CASCADE,
    CONSTRAINT vm_port_forward_protocol_ck CHECK (protocol IN ('tcp', 'udp')),
    CONSTRAINT vm_port_forward_public_ck CHECK (public_port BETWEEN 1 AND 65535),
    CONSTRAINT vm_port_forward_vm_port_ck CHECK (vm_port BETWEEN 1 AND 65535),
    CONSTRAINT vm_port_forward_uq UNIQUE (protocol, public_port)
);

CREATE INDEX vm_port_forward_vm_idx ON vm_port_forward (vm_id);
