"""Helpers the test modules share (no tests here): test modules import these, never each other.

- loop_thread: an asyncio loop in a thread and read-until-pattern with a deadline (simulator tests)
- sim_bench: a real `bench sim` process serving a bench file (SimBench, start_sim, stop_sim)
- processes: reading a child process's output until a pattern, with a deadline
- engine_runs: one run of the real engine into a real store
- real_sshd: a real OpenSSH server on loopback (fixture registered in tests/conftest.py)
- tui_store / tui_pilot: a bench run written into a store with fixed times; driving the dashboard
- cli_channels: the engine's own channel adapter over a simulated unit, for collector tests
- platform_cli: a platform's channel over real SSH to a simulated family (registry tests)
- sim_clients: SSH, netmiko and SNMP clients of the simulated families
- sim_family: a third-party simulated family (acme_nos), installed by the registry tests
- sim_shell: the simulated live image's shell in-process, for server-check tests
- pg_cluster: a throwaway PostgreSQL cluster; the `pg` and `url` fixtures (registered in tests/conftest.py)
- fleet_units: bench stores with sealed units for the fleet tests
- tcp_proxy: a loopback TCP proxy a test can cut (network drops)
- forwarder: a loopback TCP forwarder that counts connections (logins per unit)
- sealed_stores: one quick run's store and keys, copied per test (records, tamper, inputs)
- tmux: a real terminal (one tmux session on a private socket)
- realdata: real devices' outputs (ntc-templates fixtures) and whether an identity reading matches them
- sim_units: a simulated family's unit with faults, built in-process, and its CLI session's answers
- sim_faults: the faults every simulated family answers alike (counterfeit serial, slow/dropped/rebooted session, flap)
- sim_ssh: a simulated unit reached over SSH as the bench reaches it (netmiko session, identification)
- sim_fleet: one simulated family served by the fleet with SNMP; snmpget, ENTITY-MIB and bench-file checks
- sim_console: a simulated unit's console line on loopback; a typed dialogue, login, reload, cold boot on it
- platform_fleet: a vendor family pack under test (its fleet, harness map, run, scripted contexts, fault plan)
- platform_checks: the platform contract checks every family's collector is held to alike
- platform_realdata: the per-family realdata loop, its 95 % bar, its figures; probing an snmpsim recording
"""
