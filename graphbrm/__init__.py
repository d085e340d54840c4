"""graphbrm: key-account relationship maps on a graph, and the MYDR habits built on them."""
