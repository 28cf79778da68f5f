"""One module per CLI command; imported lazily so `bench --help` stays fast."""
