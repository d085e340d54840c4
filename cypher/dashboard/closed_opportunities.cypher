// Opportunities of the accounts $ids closed (won or lost) before $cut, each with its account's
// dimension averages as of the end of its closing day: every person's latest Score record dated
// on or before that day (left(at, 10) <= day, the same as at < the next day). Each person's
// records are read once and reused for every opportunity of the account. An opportunity travels
// as one string, closing day + '+' (won) or '-' (lost) + id: FalkorDB groups rows by a list of
// strings several times faster than by a list of lists or maps.
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
WITH a WHERE $all OR a.id IN $visible
MATCH (o:Opportunity)-[:FOR]->(a)
WITH a, o WHERE o.status IN ['won', 'lost'] AND o.closed_at < $cut
WITH a, collect(left(o.closed_at, 10) + CASE WHEN o.status = 'won' THEN '+' ELSE '-' END + o.id)
        AS closed
OPTIONAL MATCH (a)<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(k:KeyPerson)
WITH a, closed, collect(DISTINCT k) AS persons
UNWIND CASE WHEN size(persons) = 0 THEN [null] ELSE persons END AS k
OPTIONAL MATCH (k)-[:SCORED]->(s:Score)
WITH a, closed, k, collect(s) AS records
UNWIND closed AS opportunity
WITH a, opportunity, left(opportunity, 10) AS day, records
WITH a, opportunity, reduce(latest = null, s IN records |
                            CASE WHEN left(s.at, 10) <= day AND (latest IS NULL OR s.at > latest.at)
                                 THEN s ELSE latest END) AS s
WITH a, opportunity, avg(s.closeness) AS closeness,
     avg(s.solution_acceptance) AS solution_acceptance, avg(s.price_acceptance) AS price_acceptance
RETURN a.id AS account_id, a.name AS name, substring(opportunity, 10, 1) = '+' AS won,
       closeness, solution_acceptance, price_acceptance
