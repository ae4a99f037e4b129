-- Notification connectors: a remote account (Mastodon, Bluesky, GitHub) synced on an interval into the ledger.
-- `credentials` is AES-GCM sealed (nonce || ciphertext+tag) with the server's connector key; it is never sent back.
-- `sync_cursor` says how far each remote feed has been read; `running_since` claims a sync (a claim older than
-- 15 minutes is from a process that stopped and is taken over). `failures` drives the exponential backoff.
create table connectors (
    id               bigint generated always as identity primary key,
    user_id          bigint      not null references users (id) on delete cascade,
    type             text        not null check (type in ('mastodon', 'bluesky', 'github')),
    base_url         text        not null,
    account          text,
    credentials      bytea       not null,
    sync_cursor      jsonb       not null default '{}'::jsonb,
    state            text        not null default 'pending' check (state in ('pending', 'ok', 'error', 'backoff')),
    failures         integer     not null default 0,
    created          bigint      not null default 0,
    duplicates       bigint      not null default 0,
    errors           bigint      not null default 0,
    last_error       text,
    running_since    timestamptz,
    not_before       timestamptz,            -- a remote's Retry-After: no request to it before then
    last_sync_at     timestamptz,
    last_success_at  timestamptz,
    next_sync_at     timestamptz not null,
    created_at       timestamptz not null
);
create index connectors_user on connectors (user_id, id desc);
create index connectors_due on connectors (next_sync_at);
