-- The fleet store: registered benches (name + Ed25519 key, approved by an operator), every bench's
-- sealed records (idempotent by hash), and one row per unit restating its latest record.
CREATE TABLE benches (
    name text NOT NULL,
    key_fingerprint text NOT NULL,        -- SHA-256 hex of the raw Ed25519 public key
    public_pem text NOT NULL,
    registered timestamptz NOT NULL DEFAULT now(),
    approved boolean NOT NULL DEFAULT false,
    approved_by text,
    approved_at timestamptz,
    PRIMARY KEY (name, key_fingerprint)
);
CREATE TABLE records (
    id bigserial PRIMARY KEY,
    hash text NOT NULL UNIQUE,            -- SHA-256 of canonical: a record sent twice lands once
    bench text NOT NULL,
    store_id text NOT NULL,               -- the bench store's id: a chain is (bench, store_id) by seq
    seq integer NOT NULL,
    run_id integer NOT NULL,
    slot text NOT NULL,
    serial text NOT NULL,
    canonical text NOT NULL,              -- the signed record itself; every other column restates it
    prev_hash text NOT NULL,
    signature text NOT NULL,
    key_fingerprint text NOT NULL,
    received timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (bench, key_fingerprint) REFERENCES benches (name, key_fingerprint)
);
CREATE INDEX records_chain ON records (bench, store_id, seq);
CREATE TABLE units (
    bench text NOT NULL,
    store_id text NOT NULL,
    run_id integer NOT NULL,
    slot text NOT NULL,
    serial text NOT NULL,
    model text NOT NULL DEFAULT '',
    grade jsonb,
    started text,
    finished text,
    record_hash text NOT NULL REFERENCES records (hash),
    record_seq integer NOT NULL,
    PRIMARY KEY (bench, store_id, run_id, slot)
);
CREATE INDEX units_serial ON units (serial);
