-- 0019 plays.text_facts: what the provider's parser read from an event's
-- English text for the play-by-play engine's quirk rules (model.TextFacts,
-- packed by TextFacts.Pack: bit 0 a technical by name, bit 1 a printed
-- rebound tally, bit 2 a bare "Free Throw k of n", bits 4-5/6-7 that k and
-- n, bits 8-9 the free throw kind named, bits 10-19/20-29 the tally's
-- offensive/defensive counts). The engine reads these, never description,
-- so events loaded from the database fold as the parsed ones do. Rows
-- written before 0019 hold 0 until `nbasim load --reparse` re-parses them
-- (the play-by-play parsers are at version 2).

ALTER TABLE plays ADD COLUMN text_facts INTEGER NOT NULL DEFAULT 0;
-- nbasim:postgres
COMMENT ON COLUMN plays.text_facts IS 'facts the parser read from the text for the engine (model.TextFacts, packed); docs/store.md';
-- nbasim:end
