// Store on each closed opportunity of the accounts $ids its account's dimension averages as of
// the end of its closing day (a person's latest Score record whose company day is on or before
// that day; days are the company's: graphbrm/clock.py), so
// the dashboard's win rate per band at closing reads them instead of replaying all history.
// Run after every write that can change them: an import, a score edit.
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
MATCH (o:Opportunity)-[:FOR]->(a)
WITH a, o WHERE o.status IN ['won', 'lost'] AND o.closed_day IS NOT NULL
WITH a, collect(o) AS closed
OPTIONAL MATCH (a)<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(k:KeyPerson)
WITH a, closed, collect(DISTINCT k) AS persons
UNWIND CASE WHEN size(persons) = 0 THEN [null] ELSE persons END AS k
OPTIONAL MATCH (k)-[:SCORED]->(s:Score)
WITH closed, k, collect(s) AS records
UNWIND closed AS o
WITH o, o.closed_day AS day, records
WITH o, day, reduce(latest = null, s IN records |
                    CASE WHEN s.day <= day
                              AND (latest IS NULL OR s.day > latest.day
                                   OR (s.day = latest.day
                                          AND (s.recorded_at > latest.recorded_at
                                               OR (s.recorded_at = latest.recorded_at AND s.at > latest.at))))
                         THEN s ELSE latest END) AS s
WITH o, day, avg(s.closeness) AS closeness, avg(s.solution_acceptance) AS solution_acceptance,
     avg(s.price_acceptance) AS price_acceptance
SET o.closing_day = day, o.closing_closeness = closeness,
    o.closing_solution_acceptance = solution_acceptance,
    o.closing_price_acceptance = price_acceptance
