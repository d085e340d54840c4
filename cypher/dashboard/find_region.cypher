// Whether region $region has an account the viewer can see (any tier): a dashboard scoped to
// a region that has none is an unknown region, not an empty dashboard.
MATCH (a:Account)
WHERE a.region = $region AND ($all OR a.id IN $visible)
RETURN a.region AS region
LIMIT 1
