-- Bulk writes COPY interactions with ids drawn beforehand. One draw of the identity sequence now stands for a block of
-- 1000 ids (Ledger.ID_BLOCK): a writer takes v and uses v .. v + 999, and no other draw can land in that block. A single
-- row written with the default id simply uses the first id of its block. Ids stay unique, not dense.
alter table interactions alter column id set increment by 1000 set cache 16;
