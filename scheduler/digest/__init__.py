"""The weekly digest: what the Hub, members and funders read every Monday (built from scheduler/metrics)."""
