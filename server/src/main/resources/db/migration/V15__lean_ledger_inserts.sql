-- Inserts into interactions and obligations no longer announce the user through a trigger: the ledger does, as it takes
-- the user's ledger lock (Ledger.lockUser notifies on channel reciprocity_user in the same statement, delivered on
-- commit like the triggers' notifications). Every insert into these two tables is made by the ledger under that lock
-- (V11), so no insert goes unannounced. The triggers' transition tables copied every inserted row into a tuple store
-- and scanned it again for the distinct users: measured on a 2-core machine, ~6% of the two tables' COPY in an import.
-- Updates and deletes of these tables, and every change to the other tables, keep their triggers (V3).

drop trigger interactions_notify_insert on interactions;
drop trigger obligations_notify_insert on obligations;

-- People and their handles take ids in blocks, as interactions do (V9): one draw of the sequence stands for 1000 ids
-- (Ledger.ID_BLOCK), so a bulk write draws once per thousand people instead of once per person and once per handle (a
-- draw cost ~8 us of PostgreSQL time here, ~3% of an import creating a person per ten rows). The sequences keep no
-- cache, so ids still follow the order they were drawn in: the oldest person is still the one with the lowest id
-- (an import's name matching relies on it), and a person's handles still list in the order they were added.
alter table contacts alter column id set increment by 1000;
alter table handles alter column id set increment by 1000;
