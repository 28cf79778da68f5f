-- What every bench of the fleet shares: the blocked-serial list (stolen or reported units) and the
-- known-good OS image hashes. Benches read both at run start and keep a local copy for when the fleet
-- store does not answer.
CREATE TABLE blocked_serials (
    serial text PRIMARY KEY,              -- upper case, as the stolen test compares
    reason text NOT NULL DEFAULT '',
    added_by text NOT NULL,
    added timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE image_hashes (
    algorithm text NOT NULL DEFAULT 'sha256',
    digest text NOT NULL,                 -- lower-case hex
    image text NOT NULL,                  -- the image file name, e.g. c2960x-universalk9-mz.152-7.E8.bin
    platform text NOT NULL DEFAULT '',
    added_by text NOT NULL,
    added timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (algorithm, digest)
);
