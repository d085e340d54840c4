// Per person and company day, the record that stands (the one recorded last, then the latest
// instant): a re-importable bundle has one score per person and day. The corrected records stay
// in the store's history.
MATCH (k:KeyPerson)-[:SCORED]->(s:Score)
WITH k, s.day AS day, collect(s) AS records
WITH k, reduce(latest = null, s IN records |
               CASE WHEN latest IS NULL OR s.recorded_at > latest.recorded_at
                         OR (s.recorded_at = latest.recorded_at AND s.at > latest.at)
                    THEN s ELSE latest END) AS s
RETURN k.id AS person_id, s.at AS at, s.closeness AS closeness,
       s.solution_acceptance AS solution_acceptance, s.price_acceptance AS price_acceptance
ORDER BY person_id, at
