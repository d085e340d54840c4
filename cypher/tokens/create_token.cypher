// Runs on the token graph, beside the data (see graphbrm/tokens.py); the employee was checked
// in the data graph first. Only the token's SHA-256 hash is stored (as id), never the token.
CREATE (t:Token {id: $hash, token_id: $token_id, employee_id: $employee_id, role: $role,
                 label: $label, created_at: $now, expires_at: $expires_at})
RETURN t.token_id AS token_id, t.employee_id AS employee_id, t.role AS role, t.label AS label,
       t.created_at AS created_at, t.expires_at AS expires_at, t.revoked_at AS revoked_at
