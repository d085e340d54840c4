// The key persons of one account with their scores as of the end of a day ($cut = next day),
// comparing each Score record's company day with it.
MATCH (a:Account {id: $account_id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:PART_OF*1..8]-(d:Department)<-[:MEMBER_OF]-(k:KeyPerson)
OPTIONAL MATCH (k)-[:SCORED]->(s:Score)
WHERE s.day < $cut
WITH k, d, collect(s) AS records
WITH k, d, reduce(latest = null, s IN records |
                  CASE WHEN latest IS NULL OR s.day > latest.day
                            OR (s.day = latest.day
                                   AND (s.recorded_at > latest.recorded_at
                                        OR (s.recorded_at = latest.recorded_at AND s.at > latest.at)))
                       THEN s ELSE latest END) AS s
RETURN k.id AS id, k.name AS name, k.title AS title, k.decision_role AS decision_role,
       d.id AS department_id, s.closeness AS closeness,
       s.solution_acceptance AS solution_acceptance, s.price_acceptance AS price_acceptance,
       s.at AS scored_at
ORDER BY id
