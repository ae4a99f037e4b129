-- Interactions and obligations no longer carry a foreign key to contacts. The key's check ran once per written row,
-- as a query of its own that also locked the person's row, and came to about a fifth of PostgreSQL's time on bulk
-- ingest. Every row is written by the ledger (Ledger.recordBulk and the obligation windows), which resolves its person
-- with a query scoped to the user while holding that user's ledger lock (pg_advisory_xact_lock(user id)); deleting or
-- merging a person, and deleting the account, take the same lock first, so no row can be written for a person who is
-- going away. What the key's ON DELETE CASCADE did, a statement trigger now does: once per statement, for all the
-- people it deleted, whether directly or through the cascade from users.

alter table interactions drop constraint interactions_contact_fkey;
alter table obligations drop constraint obligations_contact_fkey;

create function contacts_cascade() returns trigger language plpgsql as $$
begin
    delete from obligations o using gone g where o.user_id = g.user_id and o.contact_id = g.id;
    delete from interactions i using gone g where i.user_id = g.user_id and i.contact_id = g.id;
    return null;
end
$$;

create trigger contacts_cascade after delete on contacts
    referencing old table as gone for each statement execute function contacts_cascade();
