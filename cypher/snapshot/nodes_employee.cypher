// Our own staff: every employee, whoever asks.
MATCH (e:Employee)
RETURN collect(properties(e)) AS props
