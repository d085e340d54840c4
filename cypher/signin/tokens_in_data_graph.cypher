// Tokens that an older graphbrm kept in the data graph, where data queries could read them.
MATCH (t:Token)
RETURN t.id AS hash, t.token_id AS token_id, t.employee_id AS employee_id, t.role AS role,
       t.label AS label, t.created_at AS created_at, t.expires_at AS expires_at,
       t.revoked_at AS revoked_at
