// The key persons an employee influences or knows (ties formed by $cut), on accounts the
// viewer can see, with each person's department and scores as of $cut (latest Score record
// before it).
MATCH (e:Employee {id: $employee_id})-[r:INFLUENCES|KNOWS]->(k:KeyPerson)
WITH r, k WHERE r.since_day IS NULL OR r.since_day < $cut
MATCH (k)-[:MEMBER_OF]->(d:Department)-[:PART_OF*1..8]->(a:Account)
WITH r, k, d, a WHERE $all OR a.id IN $visible
OPTIONAL MATCH (k)-[:SCORED]->(s:Score)
WHERE s.day < $cut
WITH r, k, d, a, collect(s) AS records
WITH r, k, d, a, reduce(latest = null, s IN records |
                     CASE WHEN latest IS NULL OR s.day > latest.day
                               OR (s.day = latest.day
                                      AND (s.recorded_at > latest.recorded_at
                                           OR (s.recorded_at = latest.recorded_at AND s.at > latest.at)))
                          THEN s ELSE latest END) AS s
RETURN k.id AS person_id, k.name AS name, a.id AS account_id, a.name AS account_name,
       d.name AS department, k.decision_role AS decision_role, s.closeness AS closeness,
       s.solution_acceptance AS solution_acceptance, s.price_acceptance AS price_acceptance,
       r.strength AS strength, type(r) AS type
ORDER BY type, strength DESC, person_id
