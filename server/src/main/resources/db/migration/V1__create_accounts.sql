-- Accounts, their refresh-token families and personal access tokens.
create table users (
    id              bigint generated always as identity primary key,
    email           text        not null,
    email_key       text        not null unique,      -- lower-cased email, for lookups
    password_hash   text        not null,             -- PHC string (Argon2id)
    display_name    text        not null,
    timezone        text        not null default 'UTC',
    settings        jsonb       not null default '{}'::jsonb,
    token_version   integer     not null default 0,   -- bumped on password change: older access tokens die
    created_at      timestamptz not null,
    updated_at      timestamptz not null
);

create table refresh_tokens (
    id          bigint generated always as identity primary key,
    user_id     bigint      not null references users (id) on delete cascade,
    family_id   uuid        not null,
    token_hash  bytea       not null unique,          -- SHA-256 of the opaque token; the token itself is never stored
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    used_at     timestamptz,
    revoked_at  timestamptz
);
create index refresh_tokens_family on refresh_tokens (family_id);
create index refresh_tokens_user on refresh_tokens (user_id);

create table personal_access_tokens (
    id           bigint generated always as identity primary key,
    user_id      bigint      not null references users (id) on delete cascade,
    name         text        not null,
    prefix       text        not null,
    token_hash   bytea       not null unique,
    scopes       text[]      not null,
    created_at   timestamptz not null,
    expires_at   timestamptz not null,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create index personal_access_tokens_user on personal_access_tokens (user_id);
