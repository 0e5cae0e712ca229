-- Finding a person by any spelling of a name: each name gets a search key
-- that writes the same sounds the same whatever the script or system
-- (Belarusian and Russian Cyrillic, BGN/PCGN, the Belarusian national
-- system, Polish-style Łacinka, passports), searched by trigram similarity
-- (typos, word order, partial names) with an index.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The key: no diacritics, lower case, Cyrillic written in Latin, then one
-- spelling per sound (sh/sz/š, ch/cz/č, ts/c/ц, h/g, y/j/i, w/v), the
-- Belarusian forms folded onto the Russian ones where they differ by rule
-- (akanye o/a, я/е, ў/в, дз/д, soft ц/т), doubled letters once. Cyrillic is
-- lowered by its own table, so the key does not depend on the database's
-- locale. Keys are stored: a migration that changes this function must
-- recompute them (`UPDATE person_names SET name = name`).
CREATE FUNCTION name_key(name text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    k text := name;
    rule text[];
    letter text;
BEGIN
    -- In Łacinka and Polish (written with ł, ŭ, č, š, ž, ć, ś, ź, ń), ch is х.
    IF k ~ '[łŁŭŬčČšŠžŽćĆśŚźŹńŃ]' THEN
        k := replace(replace(k, 'ch', 'kh'), 'Ch', 'Kh');
    END IF;
    k := public.unaccent('public.unaccent'::regdictionary, k);
    k := lower(translate(k,
        'АБВГҐДЕЁЄЖЗИІЇЙКЛМНОПРСТУЎФХЦЧШЩЪЫЬЭЮЯ',
        'абвгґдеёєжзиіїйклмнопрстуўфхцчшщъыьэюя'));
    -- Cyrillic letters written with several Latin ones.
    FOREACH rule SLICE 1 IN ARRAY ARRAY[
        ['щ', 'shch'], ['ш', 'sh'], ['ч', 'ch'], ['ж', 'zh'], ['ц', 'ts'], ['х', 'kh'],
        ['ю', 'yu'], ['я', 'ya'], ['є', 'ye'], ['ї', 'yi'], ['-', ' ']
    ] LOOP
        k := replace(k, rule[1], rule[2]);
    END LOOP;
    -- The rest one for one; soft and hard signs and apostrophes go.
    k := translate(k, 'абвгґдеёэзиіыйклмнопрстуўфъь''’ʼʹ`´',
                      'abvggdeeeziiyyklmnoprstuuf');
    -- One spelling of each sound, whichever the system; anything else
    -- (digits, other scripts, punctuation) separates words. `doubles`
    -- writes doubled letters once, one letter at a time (a back-reference
    -- would take time growing with the square of the length).
    FOREACH rule SLICE 1 IN ARRAY ARRAY[
        ['[^a-z ]', ' '],
        ['shch|szcz|sch', 's'], ['sh|sz', 's'], ['zh|rz', 'z'], ['kh', 'h'], ['ch|cz', 'c'],
        ['tz|ts', 'c'], ['x', 'ks'], ['w', 'v'], ['q', 'k'],
        ['[yj]', 'i'], ['h', 'g'], ['dz', 'd'], ['o', 'a'], ['([ae])u', '\1v'],
        ['doubles', ''], ['i[ae]', 'e'], ['c([ie])', 't\1'], ['doubles', ''],
        ['^ +| +$', ''], [' +', ' ']
    ] LOOP
        IF rule[1] = 'doubles' THEN
            FOREACH letter IN ARRAY string_to_array('abcdefgiklmnprstuvz', NULL) LOOP
                k := regexp_replace(k, letter || '{2,}', letter, 'g');
            END LOOP;
        ELSE
            k := regexp_replace(k, rule[1], rule[2], 'g');
        END IF;
    END LOOP;
    RETURN k;
END
$$;

ALTER TABLE person_names
    ADD COLUMN search_key text GENERATED ALWAYS AS (name_key(name)) STORED;
CREATE INDEX person_names_search_key_idx ON person_names USING gin (search_key gin_trgm_ops);
-- Names as typed, for a part of a name the keys cannot show.
CREATE INDEX person_names_name_trgm_idx ON person_names USING gin (lower(name) gin_trgm_ops);
