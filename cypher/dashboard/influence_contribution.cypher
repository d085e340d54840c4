// Opportunities of the accounts $ids won on the company days in [$since, $cut), and those won
// with an employee's influence (USED_INFLUENCE), by count and by amount.
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
WITH a WHERE $all OR a.id IN $visible
MATCH (o:Opportunity)-[:FOR]->(a)
WITH o WHERE o.status = 'won' AND o.closed_day >= $since AND o.closed_day < $cut
OPTIONAL MATCH (o)-[:USED_INFLUENCE]->(e:Employee)
WITH o, count(e) > 0 AS influenced
RETURN count(o) AS won, sum(CASE WHEN influenced THEN 1 ELSE 0 END) AS won_with_influence,
       sum(coalesce(o.amount, 0)) AS amount,
       sum(CASE WHEN influenced THEN coalesce(o.amount, 0) ELSE 0 END) AS amount_with_influence
