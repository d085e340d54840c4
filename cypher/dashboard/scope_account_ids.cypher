// Key accounts that the viewer can see and the scope selects: a region, the accounts owned by
// one rep ($owner), or those with anyone of a team on their account team ($team = member ids).
MATCH (a:Account)
WHERE a.tier = 'key' AND ($all OR a.id IN $visible) AND ($region IS NULL OR a.region = $region)
OPTIONAL MATCH (a)<-[t:ON_TEAM]-(e:Employee)
WITH a, collect(CASE WHEN t.role = 'owner' THEN e.id END) AS owners, collect(e.id) AS members
WHERE ($owner IS NULL OR $owner IN owners)
  AND ($team IS NULL OR any(m IN members WHERE m IN $team))
RETURN collect(a.id) AS ids
