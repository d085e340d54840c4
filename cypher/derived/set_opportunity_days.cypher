// The company days on which each opportunity in $rows ({id, created_day, closed_day}) was
// created and closed, after the time zone changed.
UNWIND $rows AS r
MATCH (o:Opportunity {id: r.id})
SET o.created_day = r.created_day, o.closed_day = r.closed_day
