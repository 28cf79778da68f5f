"""Every secret the bench sees is masked before it is stored: vendor configuration lines, real device output,
and every path into the store (transcripts, events, evidence, technician inputs, the sealed record)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import records
from bench.model import Grade, Identity, Outcome, TestResult
from bench.secrets_mask import MASK, mask_data, mask_secrets
from bench.store import Store

REALDATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "realdata" / "ntc-templates-tests"

# (configuration line, the secret it holds): one for each vendor syntax the bench meets.
LINES = [
    ("username admin privilege 15 password 0 Cl34rText!", "Cl34rText!"),
    ("username netops secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0", "$1$mERr$hx5rVt7rPNoS4wqbXKX7m0"),
    ("username netops privilege 15 secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM",
     "$9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM"),
    ("enable secret 8 $8$dsYGNam3K1SIJO$7nv/35M/qr6t.dVc7UY9zrJDWRVqncHub1PE9UlMQFs",
     "$8$dsYGNam3K1SIJO$7nv/35M/qr6t.dVc7UY9zrJDWRVqncHub1PE9UlMQFs"),
    ("enable password 7 0822455D0A16", "0822455D0A16"),
    ("enable password plainpw", "plainpw"),
    ("snmp-server community Acm3RO RO", "Acm3RO"),
    ("snmp-server community s3cr3tRW RW 10", "s3cr3tRW"),
    ("snmp-server host 10.0.0.9 version 2c trapComm", "trapComm"),
    ("snmp-server user monitor grp v3 auth sha AuthPass1 priv aes 128 PrivPass2", "AuthPass1"),
    ("snmp-server user monitor grp v3 auth sha AuthPass1 priv aes 128 PrivPass2", "PrivPass2"),
    (" key 7 045802150C2E", "045802150C2E"),
    (" key-string 7 0822455D0A1606", "0822455D0A1606"),
    ("tacacs-server host 10.1.1.1 key 7 1511021F0725", "1511021F0725"),
    ("tacacs-server key T4cacsKey", "T4cacsKey"),
    ("radius-server key 7 02050D480809", "02050D480809"),
    (" server-private 10.2.2.2 auth-port 1812 acct-port 1813 key R4diusK3y", "R4diusK3y"),
    ("crypto isakmp key Pr3Shar3d address 203.0.113.5", "Pr3Shar3d"),
    (" pre-shared-key 0 IkEv2Psk", "IkEv2Psk"),
    (" neighbor 192.0.2.1 password 7 104D000A0618", "104D000A0618"),
    (" ip ospf message-digest-key 1 md5 7 0822455D0A16", "0822455D0A16"),
    (" ppp chap password 0 Chap5ecret", "Chap5ecret"),
    (" ppp pap sent-username isp password 0 Pap5ecret", "Pap5ecret"),
    ("ntp authentication-key 1 md5 NtpK3y 7", "NtpK3y"),
    # Junos (curly and set)
    ('            encrypted-password "$6$abc$Hx8kL0QeZ8Yb6w0s/"; ## SECRET-DATA', "$6$abc$Hx8kL0QeZ8Yb6w0s/"),
    ('set system root-authentication encrypted-password "$6$xyz$Q1w2e3r4t5"', "$6$xyz$Q1w2e3r4t5"),
    ('                secret "$9$dVbgoZUjqPQ"; ## SECRET-DATA', "$9$dVbgoZUjqPQ"),
    ('        authentication-key "$9$KfX8xdVs4ZGi"; ## SECRET-DATA', "$9$KfX8xdVs4ZGi"),
    ("    community public {", "public"),
    ('set snmp community "JunComm" authorization read-only', "JunComm"),
    ('        pre-shared-key ascii-text "$9$psk.Junos"; ## SECRET-DATA', "$9$psk.Junos"),
    # Arista EOS
    ("username admin privilege 15 role network-admin secret sha512 $6$Ar1sta$TuV6p0ZgHash",
     "$6$Ar1sta$TuV6p0ZgHash"),
    ("enable password sha512 $6$En4ble$Hash2", "$6$En4ble$Hash2"),
    ("snmp-server community Acm3RO ro", "Acm3RO"),
    # HP ProCurve / Aruba
    ('password manager user-name "admin" plaintext "Pr0curve!"', "Pr0curve!"),
    ('password operator user-name "op" sha1 "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8"',
     "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8"),
    ('snmp-server community "HpComm" operator', "HpComm"),
    ('radius-server host 10.3.3.3 key "HpRadius"', "HpRadius"),
    # Linux and key=value output
    ("root:$6$salt$cryptedhashvalue:19000:0:99999:7:::", "$6$salt$cryptedhashvalue"),
    ("PASSWORD=hunter2", "hunter2"),
    ("community: pubcomm", "pubcomm"),
]


@pytest.mark.parametrize("line, secret", LINES)
def test_each_vendor_secret_is_masked(line: str, secret: str) -> None:
    masked = mask_secrets(line)
    assert secret not in masked and MASK in masked, masked
    assert mask_secrets(masked) == masked  # idempotent: masking a masked line changes nothing


def test_lines_without_secrets_are_kept() -> None:
    for line in ("interface GigabitEthernet1/0/1", "service password-encryption", "hostname SW-CORE-1",
                 "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E3",
                 "System serial number            : FOC1740ZRV6", "Community Index: cisco0"):
        assert mask_secrets(line) == line


@pytest.mark.skipif(not REALDATA.is_dir(), reason="../shared/realdata is not here")
def test_real_device_output_keeps_no_community_or_key() -> None:
    cases = {
        "cisco_ios/show_snmp_community/cisco_ios_show_snmp_community.raw": ["ILMI", "public", "private"],
        "arista_eos/show_snmp_community/arista_eos_show_snmp_community.raw": ["TEST_AGAIN", "TEST_ONE_MORE"],
        "cisco_nxos/show_hsrp_all/cisco_nxos_show_hsrp_all.raw": ["core-hsrp"],
    }
    for rel, secrets in cases.items():
        text = (REALDATA / rel).read_text(errors="replace")
        assert all(s in text for s in secrets)
        masked = mask_secrets(text)
        for s in secrets:
            assert f"name: {s}\n" not in masked and f'"{s}"' not in masked, (rel, s)
        assert len(masked.splitlines()) == len(text.splitlines())


def test_nested_data_is_masked_by_value_and_by_key() -> None:
    data = {"config": ["username a password 0 Xy1", "hostname h"], "community": "c0mm", "enable": True, "n": 3}
    assert mask_data(data) == {"config": [f"username a password 0 {MASK}", "hostname h"], "community": MASK,
                               "enable": True, "n": 3}


def test_no_path_into_the_store_keeps_a_secret(tmp_path: Path) -> None:
    """Transcript, events, evidence, summary and technician notes: the sealed record and the raw tables."""
    secret = "Cl34rText!"
    line = f"username admin privilege 15 password 0 {secret}"
    db = tmp_path / "bench.db"
    store = Store(f"sqlite:///{db}")
    run_id, _ = store.open_run("k", "b", "quick", "bench.yaml", ["S1"])
    store.start_slot(run_id, "S1")
    store.save_identity(run_id, "S1", "cisco_ios_switch", Identity(serial="FOC1", model="WS-C2960X"))
    store.add_transcript(run_id, "S1", "console", [("2024-01-01T00:00:00Z", "rx", line + "\n")])
    store.add_events(run_id, [("2024-01-01T00:00:00Z", "S1", "log", {"line": f"wiped; was: {line}"})])
    store.save_result(run_id, "S1", 0, TestResult("sanitization", Outcome.PASS, f"config before: {line}",
                                                  {"before": line, "after": "hostname Switch"},
                                                  "2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z"))
    store.add_inputs(run_id, "S1", "jo", {"notes": f"old config said {line}"}, "2024-01-01T00:00:02Z")
    store.finish_slot(run_id, "S1", Grade("F3", "C3", "B", "RESALE", []))  # type: ignore[arg-type]
    records.seal(store, run_id, "S1")
    store.close()
    raw = db.read_bytes()
    assert secret.encode() not in raw
    import sqlite3

    con = sqlite3.connect(db)
    body = json.loads(con.execute("SELECT canonical FROM records").fetchone()[0])
    con.close()
    assert secret not in json.dumps(body) and MASK in json.dumps(body["tests"])
