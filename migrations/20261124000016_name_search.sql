-- Finding a person by any spelling of a name: each name gets a search key
-- that writes the same sounds the same whatever the script or system
-- (Belarusian and Russian Cyrillic, BGN/PCGN, the Belarusian national
-- system, Polish-style Łacinka, passports), searched by trigram similarity
-- (typos, word order, partial names) with an index.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The key: lower case, no diacritics, Cyrillic written in Latin, then one
-- spelling per sound (sh/sz/š, ch/cz/č, ts/c/ц, h/g, y/j/i, w/v), the
-- Belarusian forms folded onto the Russian ones where they differ by rule
-- (akanye o/a, я/е, ў/в, дз/д, soft ц/т), doubled letters once.
CREATE FUNCTION name_key(name text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    k text := lower(public.unaccent('public.unaccent'::regdictionary, name));
    rule text[];
BEGIN
    -- Cyrillic letters written with several Latin ones.
    FOREACH rule SLICE 1 IN ARRAY ARRAY[
        ['щ', 'shch'], ['ш', 'sh'], ['ч', 'ch'], ['ж', 'zh'], ['ц', 'ts'], ['х', 'kh'],
        ['ю', 'yu'], ['я', 'ya'], ['є', 'ye'], ['ї', 'yi'], ['ё', 'yo'], ['-', ' ']
    ] LOOP
        k := replace(k, rule[1], rule[2]);
    END LOOP;
    -- The rest one for one; soft and hard signs and apostrophes go.
    k := translate(k, 'абвгґдеэзиіыйклмнопрстуўфъь''’ʼ', 'abvggdeeziiyyklmnoprstuuf');
    -- One spelling of each sound, whichever the system; anything else
    -- (digits, other scripts, punctuation) separates words.
    FOREACH rule SLICE 1 IN ARRAY ARRAY[
        ['[^a-z ]', ' '],
        ['shch|szcz|sch', 's'], ['sh|sz', 's'], ['zh|rz', 'z'], ['kh', 'h'], ['ch|cz', 'c'],
        ['tz|ts', 'c'], ['x', 'ks'], ['w', 'v'], ['q', 'k'],
        ['[yj]', 'i'], ['h', 'g'], ['dz', 'd'], ['o', 'a'], ['([ae])u', '\1v'],
        ['i[ae]', 'e'], ['c([ie])', 't\1'], ['(.)\1+', '\1'], ['^ +| +$', ''], [' +', ' ']
    ] LOOP
        k := regexp_replace(k, rule[1], rule[2], 'g');
    END LOOP;
    RETURN k;
END
$$;

ALTER TABLE person_names
    ADD COLUMN search_key text GENERATED ALWAYS AS (name_key(name)) STORED;
CREATE INDEX person_names_search_key_idx ON person_names USING gin (search_key gin_trgm_ops);
