// Rule 5: key accounts with no monthly review recorded in the month that starts on $month_start
// up to $as_of, with the owner's name (the first owner by id when there are several).
MATCH (a:Account)
WHERE a.tier = 'key'
OPTIONAL MATCH (r:Review)-[:REVIEWS]->(a)
WHERE r.date >= $month_start AND r.date <= $as_of
WITH a, count(r) AS reviews
WHERE reviews = 0
OPTIONAL MATCH (e:Employee)-[t:ON_TEAM]->(a)
WHERE t.role = 'owner'
WITH a, e ORDER BY e.id
WITH a, collect(e.name) AS owners
RETURN a.id AS id, a.name AS name, head(owners) AS owner
ORDER BY a.id
