// With the hash, for a backup; the API and CLI leave it out.
MATCH (t:Token)
RETURN t.id AS hash, t.token_id AS token_id, t.employee_id AS employee_id, t.role AS role,
       t.label AS label, t.created_at AS created_at, t.expires_at AS expires_at,
       t.revoked_at AS revoked_at
ORDER BY created_at, token_id
