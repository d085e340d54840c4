// Accounts whose team has the viewer or anyone reporting to the viewer, at any depth.
MATCH (me:Employee {id: $employee_id})
OPTIONAL MATCH (me)<-[:REPORTS_TO*0..12]-(:Employee)-[:ON_TEAM]->(a:Account)
RETURN collect(DISTINCT a.id) AS ids
