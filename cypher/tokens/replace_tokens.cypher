// A restore's tokens in place of all others, in one query: all of them or none.
OPTIONAL MATCH (old:Token)
DELETE old
WITH count(*) AS removed
UNWIND $rows AS row
CREATE (t:Token {id: row.hash, token_id: row.token_id, employee_id: row.employee_id,
                 role: row.role, label: row.label, created_at: row.created_at,
                 expires_at: row.expires_at, revoked_at: row.revoked_at})
RETURN count(t) AS restored
