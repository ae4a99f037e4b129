-- A reply obligation now takes the id of the interaction it is owed for, so the primary key itself keeps it to one per
-- interaction: the unique index obligations_reply_once (an index entry per reply written) goes, and so does the
-- foreign key obligations.interaction_id -> interactions (a probe per reply written). Other obligations draw their ids
-- from the interactions' identity sequence too (one draw is a block of 1000 ids no interaction uses, V9), so the two
-- kinds never meet. Integrity without the key: reply obligations are only written with the interaction they are owed
-- for, in the same transaction (Ledger.writeReplies); deleting an interaction deletes its reply obligation
-- (InteractionService.delete); deleting a contact or a user still cascades to both through the contact keys.

alter table obligations drop constraint obligations_interaction_id_fkey;
drop index obligations_reply_once;

alter table obligations alter column id drop identity;
update obligations set id = -id;
update obligations set id = case when interaction_id is not null then interaction_id
                                 else nextval(pg_get_serial_sequence('interactions', 'id')) end;

do $$
begin
    execute format('alter table obligations alter column id set default nextval(%L::regclass)',
                   pg_get_serial_sequence('interactions', 'id'));
end $$;

alter table obligations add constraint obligations_reply_id check (interaction_id is null or id = interaction_id);
