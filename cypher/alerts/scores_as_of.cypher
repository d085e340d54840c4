// Each listed key person's scores as of the end of a day ($cut = the next day): the latest
// Score record of a company day before $cut (the latest day, then the one recorded last, then
// the latest instant), as the account figures pick it. A person without such a record has null
// scores.
UNWIND $ids AS person_id
MATCH (k:KeyPerson {id: person_id})
OPTIONAL MATCH (k)-[:SCORED]->(s:Score)
WHERE s.day < $cut
WITH k, collect(s) AS records
WITH k, reduce(latest = null, s IN records |
               CASE WHEN latest IS NULL OR s.day > latest.day
                         OR (s.day = latest.day
                                AND (s.recorded_at > latest.recorded_at
                                     OR (s.recorded_at = latest.recorded_at AND s.at > latest.at)))
                    THEN s ELSE latest END) AS s
RETURN k.id AS id, s.closeness AS closeness, s.solution_acceptance AS solution_acceptance,
       s.price_acceptance AS price_acceptance
