-- Core schema: accounts and tokens, case data, history.
-- House rules: migrations/README.md.

-- UUID version 7 (time-ordered), for rows created by migrations; the
-- application generates its own ids.
CREATE FUNCTION uuid_generate_v7() RETURNS uuid
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    bytes bytea;
BEGIN
    bytes := substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
          || substring(uuid_send(gen_random_uuid()) FROM 7);
    bytes := set_byte(bytes, 6, (b'0111' || get_byte(bytes, 6)::bit(4))::bit(8)::int);
    bytes := set_byte(bytes, 8, (b'10' || get_byte(bytes, 8)::bit(6))::bit(8)::int);
    RETURN encode(bytes, 'hex')::uuid;
END
$$;

-- ---------------------------------------------------------------- types

-- Declared from least to most strict: GREATEST() gives the effective
-- visibility of a child record.
CREATE TYPE visibility AS ENUM ('public', 'internal', 'restricted');

CREATE TYPE date_precision AS ENUM ('day', 'month', 'year');

-- A date known to a day, a month or a year. `earliest` is the first day of
-- the span the date covers.
CREATE TYPE partial_date AS (
    earliest date,
    precision date_precision,
    approximate boolean
);

-- Last day of the span a partial date covers.
CREATE FUNCTION pd_latest(d partial_date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE (d).precision
        WHEN 'day' THEN (d).earliest
        WHEN 'month' THEN ((d).earliest + interval '1 month' - interval '1 day')::date
        WHEN 'year' THEN ((d).earliest + interval '1 year' - interval '1 day')::date
    END
$$;

-- True when a partial date is known to the day and not approximate.
CREATE FUNCTION pd_exact(d partial_date) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT d IS NULL OR ((d).precision = 'day' AND NOT (d).approximate)
$$;

CREATE TYPE account_kind AS ENUM ('staff', 'partner');
CREATE TYPE role AS ENUM ('viewer', 'editor', 'admin');
CREATE TYPE token_scope AS ENUM ('read:public', 'read:internal', 'write');

CREATE TYPE person_status AS ENUM (
    'short_term', 'administrative_arrest', 'pre_trial', 'house_arrest',
    'compulsory_treatment', 'imprisoned', 'released', 'in_exile', 'deceased',
    'at_liberty', 'unknown'
);
CREATE TYPE gender AS ENUM ('female', 'male', 'other');
CREATE TYPE detention_kind AS ENUM (
    'short_term', 'administrative_arrest', 'pre_trial', 'house_arrest',
    'imprisonment', 'compulsory_treatment'
);
CREATE TYPE detention_end_reason AS ENUM (
    'released', 'transferred', 'sentenced', 'pardoned', 'amnestied',
    'term_served', 'died', 'exiled'
);
CREATE TYPE charge_status AS ENUM (
    'suspected', 'charged', 'convicted', 'acquitted', 'dropped', 'amnestied'
);
CREATE TYPE sentence_kind AS ENUM (
    'imprisonment', 'restriction_of_freedom', 'administrative_arrest', 'fine',
    'death_penalty', 'other'
);
CREATE TYPE regime AS ENUM ('general', 'reinforced', 'strict', 'special', 'prison');
CREATE TYPE facility_kind AS ENUM (
    'detention_centre', 'pre_trial_centre', 'kgb_pre_trial', 'penal_colony',
    'prison', 'other'
);
CREATE TYPE organization_kind AS ENUM (
    'ngo', 'trade_union', 'media', 'political', 'international', 'state', 'other'
);
CREATE TYPE source_kind AS ENUM (
    'document', 'article', 'court_record', 'witness', 'statement', 'other'
);
CREATE TYPE legal_code AS ENUM (
    'criminal_code', 'administrative_code_2003', 'administrative_code_2021'
);
CREATE TYPE change_face AS ENUM ('api', 'web', 'cli', 'import');
CREATE TYPE change_action AS ENUM ('create', 'update', 'archive', 'restore');

-- ---------------------------------------------------------------- accounts

CREATE TABLE accounts (
    id uuid PRIMARY KEY,
    kind account_kind NOT NULL,
    email text,
    name text NOT NULL,
    password_hash text,
    role role NOT NULL,
    restricted_clearance boolean NOT NULL DEFAULT false,
    disabled_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT accounts_email_key UNIQUE (email),
    CONSTRAINT accounts_staff_have_email CHECK (kind = 'partner' OR email IS NOT NULL),
    CONSTRAINT accounts_partners_have_no_password CHECK (kind = 'staff' OR password_hash IS NULL)
);

CREATE TABLE api_tokens (
    id uuid PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id),
    name text,
    scope token_scope NOT NULL,
    -- SHA-256 of the token: the token carries 256 random bits, so a fast
    -- hash is enough and lets a request find its token by index.
    token_hash bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    last_used_at timestamptz,
    revoked_at timestamptz,
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash)
);

-- ---------------------------------------------------------------- reference data

CREATE TABLE organizations (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    kind organization_kind NOT NULL DEFAULT 'other',
    country text,
    url text,
    notes text,
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz
);

CREATE TABLE facilities (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    kind facility_kind NOT NULL DEFAULT 'other',
    city text,
    postal_address text,
    notes text,
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz
);

CREATE TABLE sources (
    id uuid PRIMARY KEY,
    title text NOT NULL,
    publisher text,
    published partial_date,
    url text,
    kind source_kind NOT NULL DEFAULT 'document',
    visibility visibility NOT NULL DEFAULT 'internal',
    notes text,
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz
);

CREATE TABLE criminal_cases (
    id uuid PRIMARY KEY,
    number text,
    opened partial_date,
    authority text,
    description text,
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz
);

CREATE TABLE articles (
    id uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
    code legal_code NOT NULL,
    number text NOT NULL,
    title_en text NOT NULL,
    title_be text,
    title_ru text,
    -- Shared by the articles that are the same offence across code editions.
    offence text,
    CONSTRAINT articles_code_number_key UNIQUE (code, number)
);
CREATE INDEX articles_number_idx ON articles (number);
CREATE INDEX articles_offence_idx ON articles (offence);

CREATE TABLE article_periods (
    article_id uuid NOT NULL REFERENCES articles (id),
    in_force_from date,
    in_force_until date,
    note text
);

CREATE TABLE article_parts (
    article_id uuid NOT NULL REFERENCES articles (id),
    part text NOT NULL,
    title_en text NOT NULL,
    CONSTRAINT article_parts_pkey PRIMARY KEY (article_id, part)
);

-- ---------------------------------------------------------------- case data

CREATE TABLE persons (
    id uuid PRIMARY KEY,
    birth_date partial_date,
    gender gender,
    pronouns text,
    occupation text,
    region text,
    visibility visibility NOT NULL DEFAULT 'internal',
    notes text,
    -- Encrypted by the application; never indexed.
    restricted_notes bytea,
    status_override person_status,
    status_override_reason text,
    status_override_since date,
    status_override_until date,
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz,
    CONSTRAINT persons_status_override_reason_required
        CHECK (status_override IS NULL OR status_override_reason IS NOT NULL),
    CONSTRAINT persons_status_override_until_after_since
        CHECK (status_override_until IS NULL OR status_override_since IS NULL
               OR status_override_until > status_override_since)
);
CREATE INDEX persons_updated_at_idx ON persons (updated_at, id);

CREATE TABLE person_names (
    person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    position smallint NOT NULL,
    name text NOT NULL,
    lang text NOT NULL,
    is_primary boolean NOT NULL DEFAULT false,
    family text,
    CONSTRAINT person_names_pkey PRIMARY KEY (person_id, position)
);
CREATE UNIQUE INDEX person_names_one_primary_key ON person_names (person_id) WHERE is_primary;
CREATE INDEX person_names_name_idx ON person_names (lower(name));

CREATE TABLE person_external_ids (
    person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    system text NOT NULL,
    external_id text NOT NULL,
    CONSTRAINT person_external_ids_system_id_key UNIQUE (system, external_id)
);
CREATE INDEX person_external_ids_person_idx ON person_external_ids (person_id);

CREATE TABLE detentions (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES persons (id),
    kind detention_kind NOT NULL,
    started partial_date NOT NULL,
    ended partial_date,
    facility_id uuid REFERENCES facilities (id),
    authority text,
    end_reason detention_end_reason,
    notes text,
    visibility visibility NOT NULL DEFAULT 'public',
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz,
    CONSTRAINT detentions_id_person_key UNIQUE (id, person_id),
    CONSTRAINT detentions_ended_after_started
        CHECK (ended IS NULL OR pd_latest(ended) >= (started).earliest),
    CONSTRAINT detentions_end_reason_needs_end CHECK (end_reason IS NULL OR ended IS NOT NULL)
);
CREATE INDEX detentions_person_idx ON detentions (person_id);
CREATE INDEX detentions_facility_idx ON detentions (facility_id);

CREATE TABLE charges (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES persons (id),
    article_id uuid NOT NULL REFERENCES articles (id),
    part text,
    case_id uuid REFERENCES criminal_cases (id),
    detention_id uuid,
    filed partial_date,
    status charge_status NOT NULL DEFAULT 'charged',
    status_since partial_date,
    notes text,
    visibility visibility NOT NULL DEFAULT 'public',
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz,
    CONSTRAINT charges_id_person_key UNIQUE (id, person_id),
    -- The detention a charge belongs to is the same person's.
    CONSTRAINT charges_detention_fkey FOREIGN KEY (detention_id, person_id)
        REFERENCES detentions (id, person_id)
);
CREATE INDEX charges_person_idx ON charges (person_id);
CREATE INDEX charges_article_idx ON charges (article_id);

CREATE TABLE sentences (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES persons (id),
    kind sentence_kind NOT NULL,
    pronounced partial_date,
    court text,
    judge text,
    term_months integer,
    term_days integer,
    regime regime,
    fine_basic_units integer,
    fine_amount numeric(14, 2),
    currency text,
    facility_id uuid REFERENCES facilities (id),
    in_absentia boolean NOT NULL DEFAULT false,
    appeal_outcome text,
    released_on partial_date,
    notes text,
    visibility visibility NOT NULL DEFAULT 'public',
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz,
    CONSTRAINT sentences_id_person_key UNIQUE (id, person_id),
    CONSTRAINT sentences_term_required CHECK (
        kind NOT IN ('imprisonment', 'restriction_of_freedom', 'administrative_arrest')
        OR term_months IS NOT NULL OR term_days IS NOT NULL),
    CONSTRAINT sentences_fine_required CHECK (
        kind <> 'fine' OR fine_basic_units IS NOT NULL OR fine_amount IS NOT NULL),
    CONSTRAINT sentences_term_not_negative CHECK (
        coalesce(term_months, 0) >= 0 AND coalesce(term_days, 0) >= 0),
    CONSTRAINT sentences_currency_with_amount CHECK ((fine_amount IS NULL) = (currency IS NULL))
);
CREATE INDEX sentences_person_idx ON sentences (person_id);

-- The charges a sentence covers: always the same person's.
CREATE TABLE sentence_charges (
    sentence_id uuid NOT NULL,
    charge_id uuid NOT NULL,
    person_id uuid NOT NULL,
    CONSTRAINT sentence_charges_pkey PRIMARY KEY (sentence_id, charge_id),
    CONSTRAINT sentence_charges_sentence_fkey FOREIGN KEY (sentence_id, person_id)
        REFERENCES sentences (id, person_id) ON DELETE CASCADE,
    CONSTRAINT sentence_charges_charge_fkey FOREIGN KEY (charge_id, person_id)
        REFERENCES charges (id, person_id)
);
CREATE INDEX sentence_charges_charge_idx ON sentence_charges (charge_id);

CREATE TABLE recognitions (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES persons (id),
    organization_id uuid NOT NULL REFERENCES organizations (id),
    since partial_date,
    until partial_date,
    source_id uuid REFERENCES sources (id),
    notes text,
    visibility visibility NOT NULL DEFAULT 'public',
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz,
    CONSTRAINT recognitions_until_after_since
        CHECK (until IS NULL OR since IS NULL OR pd_latest(until) >= (since).earliest)
);
CREATE INDEX recognitions_person_idx ON recognitions (person_id);

CREATE TABLE affiliations (
    id uuid PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES persons (id),
    organization_id uuid NOT NULL REFERENCES organizations (id),
    role text,
    since partial_date,
    until partial_date,
    notes text,
    visibility visibility NOT NULL DEFAULT 'internal',
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz,
    CONSTRAINT affiliations_until_after_since
        CHECK (until IS NULL OR since IS NULL OR pd_latest(until) >= (since).earliest)
);
CREATE INDEX affiliations_person_idx ON affiliations (person_id);

-- A source cited for a person as a whole or for one of their records.
CREATE TABLE citations (
    id uuid PRIMARY KEY,
    source_id uuid NOT NULL REFERENCES sources (id),
    person_id uuid NOT NULL REFERENCES persons (id),
    detention_id uuid,
    charge_id uuid,
    sentence_id uuid,
    note text,
    visibility visibility NOT NULL DEFAULT 'public',
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz,
    CONSTRAINT citations_one_record CHECK (num_nonnulls(detention_id, charge_id, sentence_id) <= 1),
    CONSTRAINT citations_detention_fkey FOREIGN KEY (detention_id, person_id)
        REFERENCES detentions (id, person_id),
    CONSTRAINT citations_charge_fkey FOREIGN KEY (charge_id, person_id)
        REFERENCES charges (id, person_id),
    CONSTRAINT citations_sentence_fkey FOREIGN KEY (sentence_id, person_id)
        REFERENCES sentences (id, person_id)
);
CREATE INDEX citations_person_idx ON citations (person_id);
CREATE INDEX citations_source_idx ON citations (source_id);

-- ---------------------------------------------------------------- history

-- One entry per change to case or reference data, written in the same
-- transaction as the change. `seq` is gapless: it is taken from
-- history_head under a row lock, which serialises case-data writes and gives
-- the change feed its order and the hash chain its line. The chain covers a
-- digest of the payload, so a purge can redact `before`/`after` without
-- breaking it.
CREATE TABLE history (
    seq bigint PRIMARY KEY,
    at timestamptz NOT NULL,
    account_id uuid REFERENCES accounts (id),
    token_id uuid REFERENCES api_tokens (id),
    face change_face NOT NULL,
    record_type text NOT NULL,
    record_id uuid NOT NULL,
    -- The case a change belongs to, for the per-person history view.
    person_id uuid,
    action change_action NOT NULL,
    before jsonb,
    after jsonb,
    payload_digest bytea NOT NULL,
    prev_hash bytea NOT NULL,
    hash bytea NOT NULL
);
CREATE INDEX history_record_idx ON history (record_id, seq);
CREATE INDEX history_person_idx ON history (person_id, seq);

CREATE TABLE history_head (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_seq bigint NOT NULL,
    last_hash bytea NOT NULL
);
INSERT INTO history_head (last_seq, last_hash) VALUES (0, '\x'::bytea || decode(repeat('00', 32), 'hex'));

-- ---------------------------------------------------------------- status

-- Status of a person on day `d`, from the records the caller may see
-- (effective visibility at most `max_vis`). Rules: DESIGN.md, "person".
-- `uncertain` is true when the answer rests on a date that is not known to
-- the day.
CREATE FUNCTION person_status_on(p_id uuid, d date, max_vis visibility,
                                 OUT status person_status, OUT uncertain boolean)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    p persons%ROWTYPE;
    det record;
    sen record;
    held_until date;
BEGIN
    SELECT * INTO p FROM persons WHERE id = p_id;
    IF NOT FOUND THEN
        status := 'unknown'; uncertain := false; RETURN;
    END IF;

    -- 1. An override in force wins.
    IF p.status_override IS NOT NULL
       AND (p.status_override_since IS NULL OR p.status_override_since <= d)
       AND (p.status_override_until IS NULL OR p.status_override_until > d) THEN
        status := p.status_override; uncertain := false; RETURN;
    END IF;

    -- 2. A detention covering d; the most severe wins. A custodial sentence
    -- pronounced while held makes the person imprisoned from that day.
    FOR det IN
        SELECT dt.*
          FROM detentions dt
         WHERE dt.person_id = p_id AND dt.archived_at IS NULL
           AND greatest(dt.visibility, p.visibility) <= max_vis
           AND (dt.started).earliest <= d
           AND (dt.ended IS NULL OR (dt.ended).earliest > d)
         ORDER BY array_position(ARRAY['imprisonment', 'compulsory_treatment', 'pre_trial',
                   'house_arrest', 'administrative_arrest', 'short_term']::detention_kind[], dt.kind),
                  (dt.started).earliest DESC
    LOOP
        SELECT s.* INTO sen
          FROM sentences s
         WHERE s.person_id = p_id AND s.archived_at IS NULL
           AND greatest(s.visibility, p.visibility) <= max_vis
           AND s.kind IN ('imprisonment', 'death_penalty') AND NOT s.in_absentia
           AND (s.pronounced).earliest <= d
           AND (s.pronounced).earliest >= (det.started).earliest
         ORDER BY (s.pronounced).earliest DESC
         LIMIT 1;
        IF FOUND THEN
            IF det.ended IS NULL AND sen.kind = 'imprisonment' THEN
                held_until := ((sen.pronounced).earliest
                    + make_interval(months => coalesce(sen.term_months, 0),
                                    days => coalesce(sen.term_days, 0)))::date;
                IF held_until <= d THEN
                    -- The term has run out with no release recorded.
                    status := 'released'; uncertain := true; RETURN;
                END IF;
            END IF;
            status := 'imprisoned';
            uncertain := NOT pd_exact(sen.pronounced) OR NOT pd_exact(det.started);
            RETURN;
        END IF;
        status := CASE det.kind WHEN 'imprisonment' THEN 'imprisoned'
                                ELSE det.kind::text::person_status END;
        uncertain := NOT pd_exact(det.started) OR NOT pd_exact(det.ended);
        RETURN;
    END LOOP;

    -- 3. After the latest detention ended.
    SELECT dt.* INTO det
      FROM detentions dt
     WHERE dt.person_id = p_id AND dt.archived_at IS NULL
       AND greatest(dt.visibility, p.visibility) <= max_vis
       AND dt.ended IS NOT NULL AND (dt.ended).earliest <= d
     ORDER BY (dt.ended).earliest DESC
     LIMIT 1;
    IF FOUND THEN
        status := CASE det.end_reason WHEN 'died' THEN 'deceased'
                                      WHEN 'exiled' THEN 'in_exile'
                                      ELSE 'released' END;
        uncertain := NOT pd_exact(det.ended);
        RETURN;
    END IF;

    -- 4. Any record at all, or none.
    uncertain := false;
    IF EXISTS (SELECT 1 FROM detentions WHERE person_id = p_id AND archived_at IS NULL
                  AND greatest(visibility, p.visibility) <= max_vis)
       OR EXISTS (SELECT 1 FROM charges WHERE person_id = p_id AND archived_at IS NULL
                  AND greatest(visibility, p.visibility) <= max_vis)
       OR EXISTS (SELECT 1 FROM sentences WHERE person_id = p_id AND archived_at IS NULL
                  AND greatest(visibility, p.visibility) <= max_vis) THEN
        status := 'at_liberty';
    ELSE
        status := 'unknown';
    END IF;
END
$$;
