"""The HTTP edge: an ASGI app whose routes parse input and call the core."""
