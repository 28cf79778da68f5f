r"""Password recovery through the console, as the platform's documented procedure, written as data.

A profile's `console.recovery` names the procedure:

    recovery:
      prompt: '(?m)^switch:\s*$'  # the ROMMON prompt this procedure is for
      break_window: 30            # seconds after power-on during which BREAKs are sent
      steps:                      # typed at the ROMMON prompt, each waits for the prompt again
        - flash_init
        - rename flash:config.text flash:config.old
      boot: boot                  # the command that boots on (routers: reset)

Catalyst switches: flash_init, rename config.text, boot. Routers: confreg 0x2142, reset. A unit
with `no service password-recovery` says so when broken into; that is reported and the walk
stops: never a loop of power cycles.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .expect import Expect
from .machine import ConsoleProfile, ConsoleStuck
from .transport import send_break


@dataclass
class RecoveryPlan:
    prompt: re.Pattern[str]
    steps: list[str]
    boot: str = "boot"
    break_window: float = 30.0
    break_interval: float = 0.5
    # What a unit with recovery disabled asks; answering "n" keeps its configuration (and the secret).
    refuse_answer: str = "n\r"

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> RecoveryPlan | None:
        if not d or not d.get("steps") or not d.get("prompt"):
            return None
        return cls(prompt=re.compile(str(d["prompt"])), steps=[str(s) for s in d["steps"]],
                   boot=str(d.get("boot", "boot")),
                   break_window=float(d.get("break_window", 30.0)))


@dataclass
class RecoveryReport:
    how_break: str = ""
    steps_done: list[str] = field(default_factory=list)


def recover(x: Expect, profile: ConsoleProfile, plans: Sequence[RecoveryPlan],
            power_cycle: Callable[[], None] | None) -> RecoveryReport:
    """Break into ROMMON during a boot, run the matching plan's steps, boot on.

    The plan is chosen by the ROMMON prompt the unit shows (`switch:` or `rommon 1 >`), so a unit
    whose family is not known yet (console only, passwords unknown) still gets the right procedure.
    Raises ConsoleStuck when it cannot.
    """
    report = RecoveryReport()
    if not plans:
        raise ConsoleStuck("no credential set worked and no password-recovery procedure is known for this "
                           "unit; set its profile or add the right credentials", "recovery")
    if power_cycle is None:
        raise ConsoleStuck("password recovery needs a boot: this slot has no PDU outlet to power-cycle the "
                           "unit; add 'pdu:' to the slot or power-cycle it by hand and run again", "recovery")
    power_cycle()
    rommon = [p.prompt for p in plans]
    disabled = profile.failures["recovery_disabled"]
    window = max(p.break_window for p in plans)
    deadline = time.monotonic() + window
    while time.monotonic() < deadline:
        report.how_break = send_break(x.port) or report.how_break
        m = x.expect([*rommon, *disabled], timeout=plans[0].break_interval)
        if m is None:
            continue
        if m.index >= len(rommon):
            # Answer the "reset to default configuration?" question with no: keep what we were given.
            x.write(plans[0].refuse_answer)
            raise ConsoleStuck("password recovery is disabled on this unit (no service password-recovery); "
                               "the previous owner's credentials are needed", "recovery_disabled")
        plan = plans[m.index]
        break
    else:
        raise ConsoleStuck(f"no ROMMON prompt within {window:g} s of power-on although BREAK was sent "
                           f"({report.how_break or 'transport cannot send a break'})", "recovery")
    for step in plan.steps:
        x.write(step + "\r")
        if x.expect([plan.prompt], timeout=60) is None:
            raise ConsoleStuck(f"ROMMON did not come back after '{step}'", "rommon")
        report.steps_done.append(step)
    x.write(plan.boot + "\r")
    return report
