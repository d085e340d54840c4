// Only the token's SHA-256 hash is stored (as id); the token itself is shown once, never kept.
MATCH (e:Employee {id: $employee_id})
CREATE (t:Token {id: $hash, token_id: $token_id, employee_id: e.id, role: $role, label: $label,
                 created_at: $now, expires_at: $expires_at})
RETURN t.token_id AS token_id, t.employee_id AS employee_id, t.role AS role, t.label AS label,
       t.created_at AS created_at, t.expires_at AS expires_at, t.revoked_at AS revoked_at
