-- Exports are logged: who, with which filter, how many rows.
ALTER TYPE security_event ADD VALUE 'export';
