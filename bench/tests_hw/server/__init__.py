"""Hardware tests for servers booted into a Linux live image and reached over SSH.

Their result names (identity smart edac bmc nic burnin; erasure is the servers' own) repeat network ones on purpose: the
registry keeps them in their own group, which a profile selects with `tests_module: server`.
"""

SERVER_TESTS = {
    "identity": "bench.tests_hw.server.identity:run",
    "smart": "bench.tests_hw.server.smart:run",
    "edac": "bench.tests_hw.server.edac:run",
    "nic": "bench.tests_hw.server.nic:run",
    "bmc": "bench.tests_hw.server.bmc:run",
    "burnin": "bench.tests_hw.server.burnin:run",
    "erasure": "bench.tests_hw.server.erasure:run",
    "bmc_reset": "bench.tests_hw.server.bmc_reset:run",
}
