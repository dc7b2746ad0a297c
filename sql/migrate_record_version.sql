-- Records one applied migration: $1 version, $2 file name without ".sql".
INSERT INTO schema_migrations (version, name) VALUES ($1, $2)
