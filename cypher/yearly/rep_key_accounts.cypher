// Employees the viewer may assess ($all, or the ids in $employees) with the key accounts each
// owns that the viewer can see; reps are listed even without any, other roles only with some.
MATCH (e:Employee)
WHERE $all OR e.id IN $employees
OPTIONAL MATCH (e)-[t:ON_TEAM]->(a:Account)
WITH e, collect(DISTINCT CASE WHEN t.role = 'owner' AND a.tier = 'key' AND ($all OR a.id IN $visible)
                              THEN a.id END) AS account_ids
WHERE e.role = 'rep' OR size(account_ids) > 0
RETURN e.id AS employee_id, e.name AS name, account_ids
ORDER BY name, employee_id
