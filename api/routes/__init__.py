"""One module of routes per area; each route calls one graphbrm function."""
