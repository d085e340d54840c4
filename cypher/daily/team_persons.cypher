// Key persons of the accounts whose team the employee is on (those the viewer can see), with
// their department, their scores as of $cut and whether this employee influences them (a tie
// formed by $cut).
MATCH (e:Employee {id: $employee_id})-[:ON_TEAM]->(a:Account)
WITH e, a WHERE $all OR a.id IN $visible
MATCH (a)<-[:PART_OF*1..8]-(d:Department)<-[:MEMBER_OF]-(k:KeyPerson)
WITH DISTINCT e, a, d, k
OPTIONAL MATCH (k)-[:SCORED]->(s:Score)
WHERE s.day < $cut
WITH e, a, d, k, collect(s) AS records
WITH e, a, d, k, reduce(latest = null, s IN records |
                     CASE WHEN latest IS NULL OR s.day > latest.day
                               OR (s.day = latest.day
                                      AND (s.recorded_at > latest.recorded_at
                                           OR (s.recorded_at = latest.recorded_at AND s.at > latest.at)))
                          THEN s ELSE latest END) AS s
OPTIONAL MATCH (e)-[r:INFLUENCES]->(k)
WITH a, d, k, s, sum(CASE WHEN r IS NOT NULL AND (r.since_day IS NULL OR r.since_day < $cut)
                          THEN 1 ELSE 0 END) AS ties
RETURN k.id AS person_id, k.name AS name, k.decision_role AS decision_role,
       a.id AS account_id, a.name AS account_name, d.name AS department, s.closeness AS closeness,
       s.solution_acceptance AS solution_acceptance, s.price_acceptance AS price_acceptance,
       ties > 0 AS influenced
ORDER BY account_id, person_id
