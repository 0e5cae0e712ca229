-- Counted up to end every session of an account at once ("log out my other
-- sessions"): sessions carry a digest that includes it.
ALTER TABLE accounts ADD COLUMN session_epoch integer NOT NULL DEFAULT 0;
