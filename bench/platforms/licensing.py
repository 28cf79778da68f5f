"""What a unit is licensed for and who holds it: the facts a platform's licence reader returns.

The `license` check (bench/tests_hw/license.py) judges them. A platform reads licences with an optional
collector method `license(ctx) -> Licensing`; a platform without one is a family that declares no licence
reading (the check is NOT_RUN with that reason).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.platforms.contract import Facts


@dataclass
class LicenseEntry:
    feature: str  # lanbase, ipservices, network-advantage, securityk9, ...
    kind: str = ""  # as the unit words it: Permanent, Evaluation, RightToUse, Smart License, ...
    state: str = ""  # as the unit words it: "Active, In Use", "Not in Use, EULA not accepted", ...
    period_left: str = ""
    in_use: bool | None = None  # None: the unit did not say
    expired: bool = False  # an evaluation whose period has run out


@dataclass
class Licensing(Facts):
    level: str = ""  # the licence level / technology package the unit runs now
    next_level: str = ""  # what it boots with next
    entries: list[LicenseEntry] = field(default_factory=list)
    smart_enabled: bool | None = None  # None: the unit has no Smart Licensing (or it could not be read)
    registration: str = ""  # REGISTERED, UNREGISTERED, ... as the unit words it
    smart_account: str = ""
    virtual_account: str = ""
    authorization: str = ""  # AUTHORIZED, EVALUATION MODE, EVAL EXPIRED, ...
    reservation: str = ""  # "" none; else the reservation in force, as the unit words it
    policy: bool = False  # Smart Licensing Using Policy (IOS-XE 17.3.2+): an account, no registration
    trust_code: str = ""  # SLP: when a trust code (the account's) was installed; "" none
    evidence: dict[str, str] = field(default_factory=dict)  # command -> its answer (shortened), for the record

    @property
    def registered(self) -> bool:
        """Tied to a Smart Account: registered (Smart Licensing), or an account named (Using Policy)."""
        return self.registration.upper().startswith("REGISTERED") or (self.policy and bool(self.smart_account))
