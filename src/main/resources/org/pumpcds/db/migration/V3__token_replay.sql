-- Client JWTs seen, until they expire: one row per issuer and jti (stored as a SHA-256, never the token), so a
-- token replayed to any instance on this database is refused.
CREATE TABLE token_replay (
    token_key  VARCHAR(64)              NOT NULL PRIMARY KEY,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX token_replay_expires_at ON token_replay (expires_at);
