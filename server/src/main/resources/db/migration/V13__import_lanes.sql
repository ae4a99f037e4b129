-- An import is written in lanes (reciprocity.imports.Lanes): each person's entries go to one lane, and the lanes write
-- side by side, each in transactions of its own. `lanes[k]` is how many of lane k's entries are committed, which a
-- resumed job skips; `processed` stays their sum. Null for a job begun before lanes, whose `processed` is a prefix of
-- the file (it is resumed in one lane).
alter table imports add column lanes bigint[];
