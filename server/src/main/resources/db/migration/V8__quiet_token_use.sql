-- Recording that a personal access token was used (last_used_at, at most once a minute per token and process) no
-- longer announces a change of the user: it changes nothing a cache holds, and the announcement made every process
-- reload the user's in-memory ledger once a minute while a script used the token. Any other change to a token
-- (revocation above all) still notifies, so a revoked token stops working everywhere within a second.
-- Numbered 8 to stay clear of migrations 6 and 7 on main.

create function notify_token_changes() returns trigger language plpgsql as $$
declare
    uid bigint;
begin
    for uid in select distinct n.user_id from new_rows n join old_rows o on o.id = n.id
               where (to_jsonb(n) - 'last_used_at') is distinct from (to_jsonb(o) - 'last_used_at') loop
        perform pg_notify('reciprocity_user', uid::text);
    end loop;
    return null;
end $$;

drop trigger personal_access_tokens_notify_update on personal_access_tokens;
create trigger personal_access_tokens_notify_update after update on personal_access_tokens
    referencing old table as old_rows new table as new_rows
    for each statement execute function notify_token_changes();
