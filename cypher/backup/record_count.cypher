// Whether a store holds anything a restore would replace: every node but the data version,
// which opening a store creates.
MATCH (n)
WHERE NOT n:DataVersion
RETURN count(n) AS records
