// These influence ties ($keys: {source, target}) as stored; found from the key person, whose id
// is indexed (the source is an employee or a key person).
UNWIND $keys AS key
MATCH (k:KeyPerson {id: key.target})<-[i:INFLUENCES]-(s)
WHERE s.id = key.source
RETURN s.id AS source, k.id AS target, i.strength AS strength, i.since AS since
