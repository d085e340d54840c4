// Revoking again keeps the first revocation time.
MATCH (t:Token)
WHERE t.token_id = $token_id
SET t.revoked_at = coalesce(t.revoked_at, $now)
RETURN t.token_id AS token_id, t.employee_id AS employee_id, t.role AS role, t.label AS label,
       t.created_at AS created_at, t.expires_at AS expires_at, t.revoked_at AS revoked_at
