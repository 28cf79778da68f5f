"""Helpers the test modules share (no tests here): test modules import these, never each other.

- loop_thread: an asyncio loop in a thread and read-until-pattern with a deadline (simulator tests)
- sim_bench: a real `bench sim` process serving a bench file (SimBench, start_sim, stop_sim)
- processes: reading a child process's output until a pattern, with a deadline
- engine_runs: one run of the real engine into a real store
- real_sshd: a real OpenSSH server on loopback (fixture registered in tests/conftest.py)
- tui_store / tui_pilot: a bench run written into a store with fixed times; driving the dashboard
- cli_channels: small CLI channels over SshSession / ConsoleSession for collector tests
"""
