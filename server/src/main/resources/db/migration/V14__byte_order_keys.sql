-- Text that is only ever matched for equality compares byte by byte. Under the database's collation (the embedded
-- server's is C.UTF-8, a cloud server's often en_US.UTF-8) every comparison inside a B-tree goes through the C library's
-- strcoll with the strings copied out first; under "C" it is a memcmp. These columns are keys that are looked up, never
-- sorted for people to read: an interaction's platform and externalId (the unique index an import checks every row
-- against), a handle or identity's platform and handle, and an obligation's state. Measured on a 2-core machine, the
-- interactions' COPY into a table shaped like this one took ~4% less PostgreSQL time with these two columns in "C".
-- Equality means the same under any deterministic collation, so no lookup changes; only an identity list ordered by
-- platform and handle follows byte order, which is also what C.UTF-8 gives. Display names keep the database's collation.
alter table interactions alter column platform type text collate "C", alter column external_id type text collate "C";
alter table handles alter column platform type text collate "C", alter column handle type text collate "C";
alter table identities alter column platform type text collate "C", alter column handle type text collate "C";
alter table obligations alter column state type text collate "C";
