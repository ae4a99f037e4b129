-- Handles go the way of interactions and obligations in V11: no foreign key to contacts (its per-row check locked
-- the person's row just inserted, as much work again as the insert, for every person a bulk write creates); V11's
-- trigger deletes a deleted person's handles too. Handles are written for a person just created in the same
-- transaction, or under the person's row lock (ContactService) or the user's ledger lock (imports, Ledger).

alter table handles drop constraint handles_contact_fkey;

create or replace function contacts_cascade() returns trigger language plpgsql as $$
begin
    delete from handles x using gone g where x.user_id = g.user_id and x.contact_id = g.id;
    delete from obligations o using gone g where o.user_id = g.user_id and o.contact_id = g.id;
    delete from interactions i using gone g where i.user_id = g.user_id and i.contact_id = g.id;
    return null;
end
$$;
