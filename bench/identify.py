"""Which family a unit belongs to, from what it says: one module for `bench run` and `bench probe`.

    SNMP      sysObjectID and sysDescr (one GET)
    SSH       the first login's answer to `show version` (a Unix shell's refusal: `uname -a`; a CLI with its own
              word for it, the profiles' `identify.commands` in turn, e.g. `display version`); that login
              is handed over to the CLI session the plan runs on, so a unit costs one login
    telnet    the same over telnet (a unit without a crypto image), handed over the same way
    console   `show version` on the console session that goes on to run the plan
    ROMMON    a unit that never boots: the boot loader's MODEL_NUM, else its prompt

Every function answers (profile or None, why not) and never raises for a unit that does not answer:
the reason becomes the identity test's ERROR when nothing identifies the unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bench.drivers.console.recovery import RecoveryPlan
from bench.drivers.shell import SHELL_REFUSAL, what_answers
from bench.drivers.snmp import SnmpError
from bench.drivers.ssh import Credential, SshError, SshSession
from bench.drivers.telnet import TelnetSession
from bench.drivers.telnet import what_answers as telnet_what_answers
from bench.model import Identity
from bench.profiles import Catalog, Identification, Profile

__all__ = ["GENERIC_PROFILE", "SshAnswer", "by_rommon", "by_snmp", "by_ssh"]

GENERIC_PROFILE = "snmp_generic"  # units of vendors no family claims, identified over SNMP
SYS_OBJECT_ID = "1.3.6.1.2.1.1.2.0"
SYS_DESCR = "1.3.6.1.2.1.1.1.0"


async def by_snmp(snmp: Any, catalog: Catalog) -> tuple[Profile | None, str, bool]:
    """(profile, why not, whether the agent answered at all): a unit that answers but matches no family
    is tested as a generic SNMP unit when nothing else identifies it."""
    try:
        got = await snmp.get(SYS_OBJECT_ID, SYS_DESCR)
    except SnmpError as e:
        return None, str(e), False
    oid, descr = str(got.get(SYS_OBJECT_ID) or ""), str(got.get(SYS_DESCR) or "")
    found = catalog.identify(sys_object_id=oid, show_version=descr)
    return found, "" if found else f"sysObjectID {oid or 'absent'} matches no profile", bool(oid or descr)


@dataclass
class SshAnswer:
    """What the first login over SSH or telnet learned."""

    found: Identification
    kind: str = ""  # "cli" (a vendor CLI), "shell" (a Unix shell), "" (no answer)
    text: str = ""  # the answer to `show version` (or the shell's `uname -a`)
    why: str = ""  # why nothing was identified
    transport: dict[str, Any] = field(default_factory=dict)  # legacy SSH algorithms, when they were needed
    # The identifying login, still open at the CLI's prompt, for SshSession(handover=): one login per unit.
    handover: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def profile(self) -> Profile | None:
        return self.found.profile

    def release(self) -> None:
        """Close the identifying session when nothing goes on over it."""
        client = self.handover.pop("client", None)
        self.handover.clear()
        if client is not None:
            try:
                client.close()
            except Exception:  # noqa: BLE001 - closing a session nobody uses any more changes nothing
                pass


def by_ssh(host: str, port: int, credentials: list[Credential], catalog: Catalog, timeout: float,
           telnet: bool = False, try_device_types: bool = True) -> SshAnswer:
    """Blocking (run it in a worker thread). One login answers `show version`; a vendor CLI's session is kept
    for the plan (`handover`). When that answer names no family (a unit whose banner hides it), each
    distinct netmiko device type of the catalog is tried in turn, a login each, as before."""
    tried: list[str] = []
    seen: dict[str, Any] = {}
    handover: dict[str, Any] = {}
    try:
        commands = catalog.identify_commands()
        recognised = lambda text: catalog.identification(show_version=text).profile is not None  # noqa: E731
        if telnet:
            kind, text, _ = telnet_what_answers(host, port, credentials, timeout, handover, commands, recognised)
        else:
            kind, text, _ = what_answers(host, port, credentials, timeout, seen, handover, commands, recognised)
        if text.strip():  # a shell's `uname -a`, or a vendor CLI's `show version`: one login identifies
            found = catalog.identification(show_version=text)
            answer = SshAnswer(found, kind, text, transport=seen.get("transport", {}), handover=handover)
            if found.profile is not None:
                return answer
            answer.release()
            tried.append(f"{kind}: {text.strip()[:80]!r} matches no profile")
    except SshError as e:  # TelnetError is one too
        tried.append(f"shell: {e}")
    if try_device_types:
        by_type: dict[str, str] = {}  # each netmiko device type once, with its family's identifying command
        for p in catalog.profiles.values():
            by_type.setdefault(p.netmiko_device_type, p.identify_commands[0])
        for device_type, command in by_type.items():
            session_class = TelnetSession if telnet else SshSession
            session = session_class(host, port, device_type, credentials, timeout=timeout)
            try:
                session.open()
                text = session.send(command, timeout * 2)
                if SHELL_REFUSAL.search(text):
                    # A Unix shell, not a vendor CLI (a server's live image): the kernel says what it is.
                    text = session.send("uname -a", timeout * 2)
            except SshError as e:
                tried.append(f"{device_type}: {e}")
                continue
            finally:
                session.close()
            found = catalog.identification(show_version=text)
            if found.profile is not None:
                return SshAnswer(found, "cli", text)
            tried.append(f"{device_type}: {command} matches no profile")
    return SshAnswer(Identification(None), why="; ".join(tried))


def by_rommon(facts: dict[str, str], catalog: Catalog) -> tuple[Profile | None, Identity | None]:
    """A unit that never boots: the boot loader's MODEL_NUM, else its prompt, names the family; the loader's
    variables say the model and serial."""
    variables = dict(re.findall(r"(?m)^([A-Z_0-9]+)=(.*)$", facts.get("set", "")))
    model = variables.get("MODEL_NUM", "").strip()
    found = catalog.identify(pid=model)
    if found is None:
        prompt = facts.get("prompt", "")
        for candidate in catalog.profiles.values():
            plan = RecoveryPlan.from_dict(candidate.console.get("recovery"))
            if plan is not None and plan.prompt.search(prompt):
                found = candidate
                break
    if found is None:
        return None, None
    identity = Identity(model=model, serial=variables.get("SYSTEM_SERIAL_NUM", "").strip().upper(),
                        reload_reason="unit stuck in ROMMON: no bootable image")
    if identity.serial:
        identity.chassis_serials["rommon"] = identity.serial
    return found, identity
