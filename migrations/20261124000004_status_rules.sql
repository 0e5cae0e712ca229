-- Status derivation, corrected for partial and same-day dates, release
-- dates of sentences, and terms that ran out; sentence terms get bounds so
-- that a term can always be added to a date.

ALTER TABLE sentences
    ADD CONSTRAINT sentences_term_bounded
        CHECK (coalesce(term_months, 0) <= 1200 AND coalesce(term_days, 0) <= 36500);

-- The first day a detention no longer covers: its end, counted from the
-- end's earliest day, but never before the day after it started (a detention
-- starting and ending the same day covers that day).
CREATE FUNCTION detention_until(started partial_date, ended partial_date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN ended IS NULL THEN NULL
                ELSE greatest((ended).earliest, (started).earliest + 1) END
$$;

CREATE OR REPLACE FUNCTION person_status_on(p_id uuid, d date, max_vis visibility,
                                            OUT status person_status, OUT uncertain boolean)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    p persons%ROWTYPE;
    det record;
    sen record;
    held_until date;
    -- Latest day an open detention ended by a sentence running out, before d.
    term_out date;
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
    -- pronounced while held makes the person imprisoned from that day until
    -- the detention ends or, with no end recorded, until the person is
    -- released or the term runs out.
    FOR det IN
        SELECT dt.*
          FROM detentions dt
         WHERE dt.person_id = p_id AND dt.archived_at IS NULL
           AND greatest(dt.visibility, p.visibility) <= max_vis
           AND (dt.started).earliest <= d
           AND (dt.ended IS NULL OR detention_until(dt.started, dt.ended) > d)
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
           AND pd_latest(s.pronounced) >= (det.started).earliest
         ORDER BY (s.pronounced).earliest DESC
         LIMIT 1;
        IF FOUND THEN
            IF det.ended IS NULL THEN
                held_until := CASE WHEN sen.kind = 'imprisonment' THEN
                    ((sen.pronounced).earliest
                        + make_interval(months => coalesce(sen.term_months, 0),
                                        days => coalesce(sen.term_days, 0)))::date END;
                IF sen.released_on IS NOT NULL THEN
                    held_until := least(held_until, (sen.released_on).earliest);
                END IF;
                IF held_until <= d THEN
                    -- Out with no end recorded: look further.
                    term_out := greatest(term_out, held_until);
                    CONTINUE;
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

    -- 3. After the latest detention ended (or its sentence ran out).
    SELECT dt.*, detention_until(dt.started, dt.ended) AS until INTO det
      FROM detentions dt
     WHERE dt.person_id = p_id AND dt.archived_at IS NULL
       AND greatest(dt.visibility, p.visibility) <= max_vis
       AND dt.ended IS NOT NULL AND detention_until(dt.started, dt.ended) <= d
     ORDER BY detention_until(dt.started, dt.ended) DESC
     LIMIT 1;
    IF FOUND AND (term_out IS NULL OR det.until >= term_out) THEN
        status := CASE det.end_reason WHEN 'died' THEN 'deceased'
                                      WHEN 'exiled' THEN 'in_exile'
                                      ELSE 'released' END;
        uncertain := NOT pd_exact(det.ended);
        RETURN;
    END IF;
    IF term_out IS NOT NULL THEN
        status := 'released'; uncertain := true; RETURN;
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
