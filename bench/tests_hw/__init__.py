"""Hardware tests. Each test is an async function `run(ctx) -> TestResult` registered by name."""
