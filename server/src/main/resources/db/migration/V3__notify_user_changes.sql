-- Every committed change to a user's data announces the user's id on channel `reciprocity_user`, so each server
-- process can drop its in-memory read model of that user. Statement-level triggers with transition tables send one
-- notification per user per statement (and PostgreSQL folds duplicates within a transaction), however many rows.

create function notify_user_rows() returns trigger language plpgsql as $$
declare
    uid bigint;
begin
    if tg_op = 'DELETE' then
        for uid in select distinct user_id from old_rows loop
            perform pg_notify('reciprocity_user', uid::text);
        end loop;
    else
        for uid in select distinct user_id from new_rows loop
            perform pg_notify('reciprocity_user', uid::text);
        end loop;
    end if;
    return null;
end $$;

create function notify_user_accounts() returns trigger language plpgsql as $$
declare
    uid bigint;
begin
    if tg_op = 'DELETE' then
        for uid in select id from old_rows loop
            perform pg_notify('reciprocity_user', uid::text);
        end loop;
    else
        for uid in select id from new_rows loop
            perform pg_notify('reciprocity_user', uid::text);
        end loop;
    end if;
    return null;
end $$;

do $$
declare
    t text;
begin
    foreach t in array array['identities', 'contacts', 'handles', 'interactions', 'obligations', 'personal_access_tokens'] loop
        execute format('create trigger %1$s_notify_insert after insert on %1$s referencing new table as new_rows
                        for each statement execute function notify_user_rows()', t);
        execute format('create trigger %1$s_notify_update after update on %1$s referencing new table as new_rows
                        for each statement execute function notify_user_rows()', t);
        execute format('create trigger %1$s_notify_delete after delete on %1$s referencing old table as old_rows
                        for each statement execute function notify_user_rows()', t);
    end loop;
end $$;

create trigger users_notify_update after update on users referencing new table as new_rows
    for each statement execute function notify_user_accounts();
create trigger users_notify_delete after delete on users referencing old table as old_rows
    for each statement execute function notify_user_accounts();
