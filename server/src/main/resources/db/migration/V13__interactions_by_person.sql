-- The user-wide time index on interactions goes. Rows come in at any point of a user's history (an import is years of
-- it, in whatever order the file has), so each one landed somewhere inside the index rather than at its end, and this one
-- index cost as much PostgreSQL time as the table and its three other indexes together on a big import (measured:
-- ~0.9 of ~2.0 s per 200,000 rows at 1M). Every query that read a user's interactions through it now reads them person
-- by person through interactions_contact (contact_id, occurred_at desc, id desc), starting from the user's contacts:
-- the interaction list (InteractionService.list), the export, a full recompute, and an import's matching of exported rows.
drop index interactions_user;
