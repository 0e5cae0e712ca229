-- Full-text search over internal notes and source titles, in English,
-- Belarusian and Russian. One configuration serves all three: words in
-- Latin letters get the English stemmer, other words lose their diacritics
-- and get the Russian one (PostgreSQL has no Belarusian stemmer; searches
-- match the start of each stem, which covers most Belarusian endings too).
-- Restricted values are sealed by the application and never indexed.
CREATE TEXT SEARCH CONFIGURATION docket_text (COPY = pg_catalog.russian);
ALTER TEXT SEARCH CONFIGURATION docket_text
    ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, russian_stem;

-- Each searchable text's words, kept beside it and indexed.
ALTER TABLE persons ADD COLUMN notes_words tsvector
    GENERATED ALWAYS AS (to_tsvector('docket_text', coalesce(notes, ''))) STORED;
ALTER TABLE detentions ADD COLUMN notes_words tsvector
    GENERATED ALWAYS AS (to_tsvector('docket_text', coalesce(notes, ''))) STORED;
ALTER TABLE charges ADD COLUMN notes_words tsvector
    GENERATED ALWAYS AS (to_tsvector('docket_text', coalesce(notes, ''))) STORED;
ALTER TABLE sentences ADD COLUMN notes_words tsvector
    GENERATED ALWAYS AS (to_tsvector('docket_text', coalesce(notes, ''))) STORED;
ALTER TABLE recognitions ADD COLUMN notes_words tsvector
    GENERATED ALWAYS AS (to_tsvector('docket_text', coalesce(notes, ''))) STORED;
ALTER TABLE affiliations ADD COLUMN notes_words tsvector
    GENERATED ALWAYS AS (to_tsvector('docket_text', coalesce(notes, ''))) STORED;
ALTER TABLE citations ADD COLUMN note_words tsvector
    GENERATED ALWAYS AS (to_tsvector('docket_text', coalesce(note, ''))) STORED;
ALTER TABLE sources ADD COLUMN title_words tsvector
    GENERATED ALWAYS AS (to_tsvector('docket_text', title)) STORED;
ALTER TABLE sources ADD COLUMN notes_words tsvector
    GENERATED ALWAYS AS (to_tsvector('docket_text', coalesce(notes, ''))) STORED;

CREATE INDEX persons_notes_words_idx ON persons USING gin (notes_words);
CREATE INDEX detentions_notes_words_idx ON detentions USING gin (notes_words);
CREATE INDEX charges_notes_words_idx ON charges USING gin (notes_words);
CREATE INDEX sentences_notes_words_idx ON sentences USING gin (notes_words);
CREATE INDEX recognitions_notes_words_idx ON recognitions USING gin (notes_words);
CREATE INDEX affiliations_notes_words_idx ON affiliations USING gin (notes_words);
CREATE INDEX citations_note_words_idx ON citations USING gin (note_words);
CREATE INDEX sources_title_words_idx ON sources USING gin (title_words);
CREATE INDEX sources_notes_words_idx ON sources USING gin (notes_words);
