"""Names and codes of states from ISO 3166 (pycountry), current and former."""

from __future__ import annotations

import pycountry

from scidip.errors import InvalidData


def state_name(code: str) -> str:
    """The common short name of a state by ISO 3166-1 alpha-3 or ISO 3166-3 code.

    >>> state_name("KAZ"), state_name("SUHH")
    ('Kazakhstan', 'USSR, Union of Soviet Socialist Republics')
    """
    current = pycountry.countries.get(alpha_3=code)
    if current is not None:
        return str(getattr(current, "common_name", None) or current.name)
    former = pycountry.historic_countries.get(alpha_4=code)
    if former is not None:
        return str(former.name)
    raise InvalidData(f"{code!r} is neither an ISO 3166-1 alpha-3 nor an ISO 3166-3 code")


def is_state_code(code: str) -> bool:
    """True for an ISO 3166-1 alpha-3 or ISO 3166-3 alpha-4 code."""
    return (
        pycountry.countries.get(alpha_3=code) is not None
        or pycountry.historic_countries.get(alpha_4=code) is not None
    )
