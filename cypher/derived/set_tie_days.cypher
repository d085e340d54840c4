// The company day from which each tie in $rows ({type, from_id, to_id, since_day}) exists,
// after the time zone changed.
UNWIND $rows AS r
MATCH (k:KeyPerson {id: r.to_id})<-[t:INFLUENCES|KNOWS]-(x)
WHERE x.id = r.from_id AND type(t) = r.type
SET t.since_day = r.since_day
