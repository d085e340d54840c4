// Figures of docs/method.md for a list of accounts as of the end of a day ($cut = the next day).
// A person's value as of then is their latest Score record whose company day is before $cut
// (the latest day, then the one recorded last, then the latest instant; reduce, no sort).
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
WITH a WHERE $all OR a.id IN $visible
OPTIONAL MATCH (a)<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(k:KeyPerson)
WITH a, collect(DISTINCT k) AS persons
UNWIND CASE WHEN size(persons) = 0 THEN [null] ELSE persons END AS k
OPTIONAL MATCH (k)-[:SCORED]->(s:Score)
WHERE s.day < $cut
WITH a, k, collect(s) AS records
WITH a, k, reduce(latest = null, s IN records |
                  CASE WHEN latest IS NULL OR s.day > latest.day
                            OR (s.day = latest.day
                                   AND (s.recorded_at > latest.recorded_at
                                        OR (s.recorded_at = latest.recorded_at AND s.at > latest.at)))
                       THEN s ELSE latest END) AS s
WITH a, count(k) AS identified,
     sum(CASE WHEN k IS NULL THEN 0
              WHEN s IS NULL OR s.closeness IS NULL OR s.solution_acceptance IS NULL
                   OR s.price_acceptance IS NULL THEN 1
              ELSE 0 END) AS unknown,
     avg(s.closeness) AS closeness, avg(s.solution_acceptance) AS solution_acceptance,
     avg(s.price_acceptance) AS price_acceptance
RETURN a.id AS id, a.name AS name, a.industry AS industry, a.region AS region, a.tier AS tier,
       a.expected_key_persons AS expected, identified, unknown,
       closeness, solution_acceptance, price_acceptance
