-- Token buckets shared by every server process, so sign-in throttles, registration limits and per-user rate limits
-- hold across all of them. One row per (scope, key), kept with the generic cell rate algorithm: `full_at` is the
-- moment (microseconds since the epoch) at which the bucket is full again; a missing row is a full bucket. Each
-- event is one upsert that locks only its own row.
--
-- Unlogged: a counter is written far more often than it is worth a WAL record, and after a crash of PostgreSQL
-- (not a clean restart) the buckets simply start full again. Unlogged tables are not copied to read replicas,
-- which never need them.
create unlogged table throttles (
    scope   text   not null,                 -- which limit: login-account, login-address, register-address, api-user
    key     bytea  not null,                 -- SHA-256 of the account, address or user id; never stored in clear
    full_at bigint not null,
    granted int    not null,                 -- tokens handed out by the last upsert, read back through RETURNING
    primary key (scope, key)
);
