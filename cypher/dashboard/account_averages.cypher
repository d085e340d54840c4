// Key persons and dimension averages of the accounts $ids as of each cut in $cuts (a cut is the
// day after the day asked for): a person's value is their latest Score record before the cut,
// as in accounts/account_figures; each person's records are read once for all the cuts.
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
WITH a WHERE $all OR a.id IN $visible
OPTIONAL MATCH (a)<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(k:KeyPerson)
WITH DISTINCT a, k
OPTIONAL MATCH (k)-[:SCORED]->(s:Score)
WITH a, k, collect(s) AS records
UNWIND $cuts AS cut
WITH a, cut, k, reduce(latest = null, s IN records |
                       CASE WHEN s.at < cut AND (latest IS NULL OR s.at > latest.at)
                            THEN s ELSE latest END) AS s
WITH a, cut, count(k) AS key_persons, avg(s.closeness) AS closeness,
     avg(s.solution_acceptance) AS solution_acceptance, avg(s.price_acceptance) AS price_acceptance
RETURN a.id AS account_id, a.name AS name, cut, key_persons, closeness, solution_acceptance, price_acceptance
