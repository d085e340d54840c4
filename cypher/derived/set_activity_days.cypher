// The company day of each activity in $rows ({id, day}), after the time zone changed.
UNWIND $rows AS r
MATCH (act:Activity {id: r.id})
SET act.day = r.day
