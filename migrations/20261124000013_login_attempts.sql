-- Attempts are counted before the password is checked, so that parallel
-- guesses cannot all slip under the limit; a successful attempt removes its
-- own rows again. Keys are short (an account id, a typed email of at most
-- 254 characters, an address).
ALTER TABLE login_failures RENAME TO login_attempts;
ALTER INDEX login_failures_key_idx RENAME TO login_attempts_key_idx;
ALTER TABLE login_attempts ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
ALTER TABLE login_attempts ADD CONSTRAINT login_attempts_key_short CHECK (length(key) <= 600);

-- History numbers start at 1: an entry numbered 0 or below would sit
-- outside the chain that `docket audit verify` walks.
ALTER TABLE history ADD CONSTRAINT history_seq_positive CHECK (seq > 0);
