-- Import jobs: an uploaded file (kept under RECIPROCITY_HOME/imports until the job ends) read in chunks.
-- `processed` counts entries whose effects are committed, in the same transaction as the chunk, so a job a dead
-- process left behind resumes from there. `owner`/`heartbeat_at` tell a live job from an orphan.
create table imports (
    id            bigint generated always as identity primary key,
    user_id       bigint      not null references users (id) on delete cascade,
    format        text        not null,
    state         text        not null check (state in ('queued', 'running', 'done', 'failed', 'cancelled')),
    file_path     text,
    size_bytes    bigint      not null,
    processed     bigint      not null default 0,
    total         bigint,
    created       bigint      not null default 0,
    duplicates    bigint      not null default 0,
    error_count   bigint      not null default 0,
    errors        jsonb       not null default '[]'::jsonb,   -- the first 100: [{entry, line?, reason}]
    reason        text,                                     -- why a failed job failed as a whole
    owner         text        not null,
    heartbeat_at  timestamptz not null default now(),
    created_at    timestamptz not null,
    started_at    timestamptz,
    finished_at   timestamptz
);
create index imports_user on imports (user_id, id desc);
create index imports_live on imports (state, heartbeat_at) where state in ('queued', 'running');
