// E.g. the sign-in links of an earlier `graphbrm up --demo`.
MATCH (t:Token)
WHERE t.label = $label AND t.revoked_at IS NULL
SET t.revoked_at = $now
RETURN count(t) AS revoked
