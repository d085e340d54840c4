// Sign-in: the token by the unique index on its hash.
MATCH (t:Token {id: $hash})
RETURN t.token_id AS token_id, t.employee_id AS employee_id, t.role AS role,
       t.expires_at AS expires_at, t.revoked_at AS revoked_at
