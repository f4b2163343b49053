"""The Alliance's metrics (spec/metrics.md) as pure functions from DataFrames; loading lives apart."""
