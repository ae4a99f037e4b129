-- The ledger: people (contacts) and their handles, the user's own identities, interactions in both
-- directions, the obligations derived from them, and idempotency keys for retried writes.

create table identities (
    id          bigint generated always as identity primary key,
    user_id     bigint      not null references users (id) on delete cascade,
    platform    text        not null,
    handle      text        not null,
    created_at  timestamptz not null,
    unique (user_id, platform, handle)
);

create table contacts (
    id                  bigint generated always as identity primary key,
    user_id             bigint           not null references users (id) on delete cascade,
    display_name        text             not null,
    notes               text,
    tags                text[]           not null default '{}',
    cadence_days        integer,
    -- The read model, kept current on every write so reads are O(1):
    -- balance: Σ ±weight · 2^(-(balance_at - t)/halfLife) over interactions, decayed to balance_at.
    balance             double precision not null default 0,
    balance_at          timestamptz      not null,
    last_interaction_at timestamptz,
    give_back_until     timestamptz,     -- the balance stays at or over the threshold until then
    created_at          timestamptz      not null,
    updated_at          timestamptz      not null
);
create index contacts_user on contacts (user_id, id);
create index contacts_user_name on contacts (user_id, lower(display_name), id);
create index contacts_user_last on contacts (user_id, last_interaction_at desc nulls last, id);
create index contacts_tags on contacts using gin (tags);

create table handles (
    id          bigint generated always as identity primary key,
    user_id     bigint      not null references users (id) on delete cascade,
    contact_id  bigint      not null references contacts (id) on delete cascade,
    platform    text        not null,
    handle      text        not null,
    created_at  timestamptz not null,
    unique (user_id, platform, handle)
);
create index handles_contact on handles (contact_id);

create table interactions (
    id           bigint generated always as identity primary key,
    user_id      bigint      not null references users (id) on delete cascade,
    contact_id   bigint      not null references contacts (id) on delete cascade,
    direction    text        not null check (direction in ('inbound', 'outbound')),
    kind         text        not null check (kind in ('comment', 'reply', 'mention', 'message', 'like', 'share',
                                                      'endorsement', 'recommendation', 'follow', 'other')),
    platform     text,
    url          text,
    thread_url   text,
    occurred_at  timestamptz not null,
    note         text,
    source       text,
    external_id  text,
    created_at   timestamptz not null
);
create unique index interactions_external on interactions (user_id, coalesce(platform, ''), external_id)
    where external_id is not null;
create index interactions_contact on interactions (contact_id, occurred_at desc, id desc);
create index interactions_user on interactions (user_id, occurred_at desc, id desc);

create table obligations (
    id             bigint generated always as identity primary key,
    user_id        bigint      not null references users (id) on delete cascade,
    contact_id     bigint      not null references contacts (id) on delete cascade,
    type           text        not null check (type in ('reply', 'giveBack', 'keepInTouch')),
    interaction_id bigint      references interactions (id) on delete cascade,
    state          text        not null check (state in ('open', 'snoozed', 'dismissed', 'resolved')),
    opened_at      timestamptz not null,   -- visible from then on (keep-in-touch rows are made ahead of time)
    closes_at      timestamptz,            -- resolved by time from then on (give-back as the balance decays)
    snoozed_until  timestamptz,
    resolved_at    timestamptz,
    url            text,
    created_at     timestamptz not null
);
create index obligations_user_state on obligations (user_id, state, opened_at, id);
create index obligations_contact on obligations (contact_id, state);
create unique index obligations_reply_once on obligations (interaction_id) where interaction_id is not null;

create table idempotency_keys (
    user_id       bigint      not null references users (id) on delete cascade,
    key           text        not null,
    request_hash  bytea       not null,
    status        integer     not null,
    response      text        not null,
    created_at    timestamptz not null,
    primary key (user_id, key)
);
create index idempotency_keys_created on idempotency_keys (created_at);
