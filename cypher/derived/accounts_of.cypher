// The accounts that the key persons $person_ids and the departments $department_ids belong to
// now: whose derived figures an import touching them must refresh.
UNWIND $person_ids AS id
MATCH (:KeyPerson {id: id})-[:MEMBER_OF]->(d:Department)
RETURN DISTINCT d.account_id AS id
UNION
UNWIND $department_ids AS id
MATCH (d:Department {id: id})
RETURN DISTINCT d.account_id AS id
