-- One foreign-key check per written row instead of two or three. A row's (user_id, contact_id) now references
-- contacts (user_id, id): one index probe proves the person exists and belongs to the same user (which the two
-- separate keys never checked), and deleting a user or a contact still cascades.

create unique index contacts_user_id_key on contacts (user_id, id);
drop index contacts_user;
alter table contacts add constraint contacts_user_id_key unique using index contacts_user_id_key;

alter table handles
    drop constraint handles_user_id_fkey,
    drop constraint handles_contact_id_fkey,
    add constraint handles_contact_fkey foreign key (user_id, contact_id) references contacts (user_id, id) on delete cascade;

alter table interactions
    drop constraint interactions_user_id_fkey,
    drop constraint interactions_contact_id_fkey,
    add constraint interactions_contact_fkey foreign key (user_id, contact_id) references contacts (user_id, id) on delete cascade;

alter table obligations
    drop constraint obligations_user_id_fkey,
    drop constraint obligations_contact_id_fkey,
    add constraint obligations_contact_fkey foreign key (user_id, contact_id) references contacts (user_id, id) on delete cascade;

-- Bulk writes draw a thousand ids at a time; a per-session cache spares a sequence lock and WAL record per few
-- rows. Ids stay unique but not ordered across sessions, and nothing orders these two tables by id alone.
alter table interactions alter column id set cache 1000;
alter table obligations alter column id set cache 1000;
