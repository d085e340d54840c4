// What the source of a tie is: our employee (checked first, as the import does) or a key person.
OPTIONAL MATCH (e:Employee {id: $from_id})
OPTIONAL MATCH (k:KeyPerson {id: $from_id})
RETURN e IS NOT NULL AS employee, k IS NOT NULL AS key_person, coalesce(e.name, k.name) AS name
