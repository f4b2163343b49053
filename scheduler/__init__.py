"""Time-driven work: the ticker that runs due tasks, and (later) the weekly digest."""
