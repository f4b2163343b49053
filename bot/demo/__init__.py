"""The demo Alliance: roster files shipped with the package, seeded into an empty database."""
