// The demo rep: the one with a manager who owns the most key accounts (ties by id).
MATCH (rep:Employee)-[:REPORTS_TO]->(manager:Employee)
WHERE rep.role = 'rep'
MATCH (rep)-[team:ON_TEAM]->(a:Account)
WHERE team.role = 'owner' AND a.tier = 'key'
WITH rep, manager, count(a) AS owned
ORDER BY owned DESC, rep.id
LIMIT 1
RETURN rep.id AS rep_id, manager.id AS manager_id
