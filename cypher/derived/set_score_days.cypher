// The company day of each Score record in $rows ({id, day}), after the time zone changed.
UNWIND $rows AS r
MATCH (s:Score {id: r.id})
SET s.day = r.day
