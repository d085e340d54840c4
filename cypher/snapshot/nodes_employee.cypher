// $names: null for every property as a map, or these properties only, as a list of values.
// Our own staff: every employee, whoever asks.
MATCH (e:Employee)
RETURN collect(CASE WHEN $names IS NULL THEN properties(e) ELSE [n IN $names | e[n]] END) AS props
