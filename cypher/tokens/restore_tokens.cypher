// Tokens read back from a backup, or moved out of a data graph written by an older graphbrm:
// by hash, so that running it twice keeps one token.
UNWIND $rows AS row
MERGE (t:Token {id: row.hash})
SET t.token_id = row.token_id, t.employee_id = row.employee_id, t.role = row.role,
    t.label = row.label, t.created_at = row.created_at, t.expires_at = row.expires_at,
    t.revoked_at = row.revoked_at
RETURN count(t) AS restored
