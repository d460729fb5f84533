ALTER TABLE widgets ADD COLUMN color text;
INSERT INTO widgets (id, name, color) VALUES (1, 'first', 'green');
