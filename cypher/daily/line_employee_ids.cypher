// The employee and everyone reporting to them at any depth (no row when the id is unknown).
MATCH (me:Employee {id: $employee_id})
OPTIONAL MATCH (me)<-[:REPORTS_TO*0..12]-(e:Employee)
RETURN collect(DISTINCT e.id) AS ids
