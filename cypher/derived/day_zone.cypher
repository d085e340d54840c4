// The time zone in which the stored records' company days were derived (none yet: never).
OPTIONAL MATCH (v:DataVersion {id: 'graph'})
RETURN v.timezone AS timezone
