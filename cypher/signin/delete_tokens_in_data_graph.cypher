// After they were copied to the token graph.
MATCH (t:Token)
WHERE t.id IN $hashes
DELETE t
RETURN count(*) AS deleted
