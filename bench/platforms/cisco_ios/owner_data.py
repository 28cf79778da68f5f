"""The thorough wipe's part beyond `write erase` on Cisco IOS / IOS-XE: what a previous owner leaves that
survives an erased startup configuration (RSA keys in private NVRAM, PKI trustpoints and their certificates
in `nvram:`, a Smart Licensing registration), how it is found, how it is removed, and the day-0 proof.

Findings go into a WipeReport: `verified` names what was checked (and what was seen), `remaining` what is
still there. `owner_configuration` lists the signs that a previous owner configured the unit (its hostname,
VLANs, servers, communities, addresses): the sanitization check flags those, while keys, certificates and
licence registrations are removed and named as a matter of course.
"""

from __future__ import annotations

import re
from typing import Any

from bench.drivers.parsing import sanitize
from bench.platforms import contract
from bench.platforms.cisco_ios.licensing import parse_license_status
from bench.platforms.cli import Shown, send_classified
from bench.platforms.data import package_data
from bench.platforms.licensing import Licensing
from bench.tests_hw.base import CliChannel

DATA = package_data(__file__)
_KEEP = 2000
_KEY_NAME = re.compile(r"(?m)^Key name:\s*(\S+)")
_TRUSTPOINT = re.compile(r"(?m)^Trustpoint\s+(\S+?):?\s*$")
_CER_FILE = re.compile(r"(?m)^\s*\d+\s+\S+\s+\d+\s+.*?\s(\S+\.cer)\s*$")
# A startup configuration line that says someone configured the unit for their network.
_OWNER_SIGNS = (
    (re.compile(r"(?m)^hostname (?!Switch$|Router$)(\S+)"), "hostname {0}"),
    (re.compile(r"(?m)^vlan (\d+)"), "VLAN {0}"),
    (re.compile(r"(?m)^snmp-server community (\S+)"), "SNMP community"),
    (re.compile(r"(?m)^logging (?:host )?(\d+\.\d+\.\d+\.\d+)"), "syslog server {0}"),
    (re.compile(r"(?m)^ntp server (\S+)"), "NTP server {0}"),
    (re.compile(r"(?m)^ip domain[- ]name (\S+)"), "domain {0}"),
    (re.compile(r"(?m)^\s*ip address (\d+\.\d+\.\d+\.\d+)"), "address {0}"),
    (re.compile(r"(?m)^(?:tacacs|radius)[- ]server (\S+)"), "AAA server {0}"),
)
# After a reload without a startup configuration the console shows the setup dialog (IOS) or PnP/autoinstall
# (IOS-XE): the day-0 state, seen by the console walk that brought the unit back.
DAY0_STATES = {"setup": "the setup dialog on the console"}


_XE_VERSION = re.compile(r"Cisco IOS XE Software, Version (\d+)\.")
_CATALYST_9K = re.compile(r"\bC9[2-6]\d\d|CAT9K")


def has_secure_reset(show_version: str) -> bool:
    """`factory-reset all secure` exists on Catalyst 9000 switches from IOS-XE 16.x."""
    m = _XE_VERSION.search(show_version)
    return bool(m and int(m.group(1)) >= 16 and _CATALYST_9K.search(show_version))


async def _send(channel: CliChannel, command: str) -> Shown:
    return await send_classified(channel, DATA, command, 60)


def owner_configuration(startup: str) -> list[str]:
    """The signs in a startup configuration that a previous owner configured the unit."""
    signs: list[str] = []
    for pattern, words in _OWNER_SIGNS:
        for m in pattern.finditer(startup):
            sign = words.format(m.group(1))
            if sign not in signs:
                signs.append(sign)
    return signs[:12]


# Other stack members' flash (flash2:, flash-2:) and a standby supervisor's (stby-bootflash:, slavebootflash:).
_OTHER_FS = re.compile(r"^(?:flash-?\d+|bootflash-\d+|stby-\w*flash|slave\w*flash\w*|flash-\w+-\d+):$")


def other_flash(file_systems: str) -> list[str]:
    """The flash file systems of other stack members and a standby supervisor, from `show file systems`."""
    out = []
    for line in file_systems.splitlines():
        prefixes = line.split()[-1:] if re.search(r"\b(?:flash|disk)\b", line) else []
        for prefix in prefixes:
            for p in prefix.split(","):
                if _OTHER_FS.match(p.strip()) and p.strip() not in out:
                    out.append(p.strip())
    return out


async def member_files(channel: CliChannel, keep: set[str], report: contract.WipeReport) -> dict[str, list[str]]:
    """Every other member's (and a standby's) flash: what it holds beyond its image and factory files, into the
    report; returns file system -> the files a wipe deletes there."""
    shown = await _send(channel, "show file systems")
    if not shown.ok:
        if not shown.rejected:
            report.problems.append(shown.problem)
        return {}
    doomed: dict[str, list[str]] = {}
    checked: dict[str, list[str]] = {}
    for fs in other_flash(shown.text):
        listing = await _send(channel, f"dir {fs}")
        if not listing.ok:
            report.problems.append(f"{fs} {listing.problem}")
            continue
        names = [m.group(1) for m in re.finditer(r"(?m)^\s*\d+\s+[-dr][-rwx]{3}\s+\d+\s+.*?\s(\S+)\s*$",
                                                  listing.text)]
        checked[fs] = names
        doomed[fs] = [n for n in names if n not in keep and not n.endswith((".bin", ".pkg", ".conf"))]
        report.remaining.extend(f"{fs}{n}" for n in doomed[fs])
    report.verified["member_flash"] = checked
    return doomed


async def inspect(channel: CliChannel, report: contract.WipeReport) -> None:
    """Keys, trustpoints, NVRAM certificates and Smart Licensing registration on the unit; the day-0 state when
    the console walk that reached it saw one."""
    keys = await _send(channel, "show crypto key mypubkey rsa")
    if keys.ok:
        names = _KEY_NAME.findall(keys.text)
        report.verified["rsa_keys"] = names
        report.remaining.extend(f"rsa key {n}" for n in names)
    elif not keys.rejected:
        report.problems.append(keys.problem)
    points = await _send(channel, "show crypto pki trustpoints")
    if points.ok:
        names = _TRUSTPOINT.findall(points.text)
        report.verified["trustpoints"] = names
        report.remaining.extend(f"trustpoint {n}" for n in names)
    elif not points.rejected:
        report.problems.append(points.problem)
    nvram = await _send(channel, "dir nvram:")
    if nvram.ok:
        files = _CER_FILE.findall(nvram.text)
        report.verified["nvram_certificates"] = files
        report.remaining.extend(f"nvram:{f}" for f in files)
    elif not nvram.rejected:
        report.problems.append(nvram.problem)
    status = await _send(channel, "show license status")
    if status.ok:
        lic = Licensing()
        parse_license_status(status.text, lic)
        if lic.smart_enabled is not None:
            report.verified["smart_licensing"] = lic.registration or ("enabled" if lic.smart_enabled else "disabled")
        if lic.registered:
            report.remaining.append(f"Smart Licensing registration (Smart Account {lic.smart_account or '?'})")
            report.verified["smart_licensing_clear"] = ("license smart factory reset" if lic.policy
                                                         else "license smart deregister")
    walk = getattr(channel, "opened", None)
    states = list(getattr(walk, "states", None) or [])
    day0 = [DAY0_STATES[s] for s in states if s in DAY0_STATES]
    if day0:
        report.verified["day0"] = day0[0]


async def remove(cli: Any, before: contract.WipeReport, report: contract.WipeReport,
                 dialog: Any, config_prompt: str, prompt: str) -> None:
    """Deregister Smart Licensing, zeroize the RSA keys, remove the trustpoints and delete the NVRAM
    certificates that `before` found; each step and the unit's answer go into the report."""
    clear = before.verified.get("smart_licensing_clear")
    if clear:  # deregister (Smart Licensing) or clear the licence store (Using Policy)
        shown = await _send(cli, clear)
        report.steps.append({"command": clear, "output": sanitize(shown.text or shown.error).strip()[-_KEEP:]})
        if not shown.ok:
            report.problems.append(f"{clear}: {shown.problem}")
    steps: list[tuple[str, str]] = []
    if clear == "license smart deregister":
        steps.append(("no license smart enable", config_prompt))  # refused on IOS-XE, where it is always on
    if before.verified.get("rsa_keys"):
        steps += [("crypto key zeroize rsa", r"\[yes/no\]:\s*$"), ("yes", config_prompt)]
    for tp in before.verified.get("trustpoints") or []:
        steps += [(f"no crypto pki trustpoint {tp}", r"\[yes/no\]:\s*$"), ("yes", config_prompt)]
    if steps:
        await dialog(cli, report, [("configure terminal", config_prompt), *steps, ("end", prompt)], tolerate=True)
    for f in before.verified.get("nvram_certificates") or []:
        command = f"delete /force nvram:{f}"
        shown = await _send(cli, command)
        report.steps.append({"command": command, "output": sanitize(shown.text or shown.error).strip()[-_KEEP:]})
        # Removing a trustpoint deletes its certificates already: a file gone by now is not a failure.
        if not shown.ok or (re.search(r"%Error", shown.text) and "No such file" not in shown.text):
            report.problems.append(f"{command}: {shown.error or shown.rejected or shown.text.strip()[:160]}")
