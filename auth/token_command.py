"""`uv run app.py token`: print a token this server accepts, for development and scripts."""

from __future__ import annotations

import argparse
import re
import sys
import uuid
from datetime import timedelta

from auth.permissions import Role
from auth.tokens import OWNERSHIP_CLAIMS, InvalidToken, issue
from resolvers.ids import InvalidGlobalId, decode_id
from settings import Settings

_TTL = re.compile(r"^(\d+)([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    token = commands.add_parser("token", help="print a bearer token (development)")
    token.add_argument("--role", required=True, choices=[r.value for r in Role])
    token.add_argument("--manufacturer", help="manufacturer ID (global ID or UUID)")
    token.add_argument("--customer", help="customer ID (UUID)")
    token.add_argument("--subject", default=None, help="the token's sub (default dev-<role>)")
    token.add_argument("--ttl", default="8h", help="lifetime: 90s, 30m, 8h, 7d (default 8h)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    role = Role(args.role)
    try:
        ttl = _parse_ttl(args.ttl)
        manufacturer_id = _parse_id(args.manufacturer, "--manufacturer", "Manufacturer")
        customer_id = _parse_id(args.customer, "--customer", "Customer")
        required = OWNERSHIP_CLAIMS.get(role)
        given = {"manufacturer_id": manufacturer_id, "customer_id": customer_id}
        if required is not None and given[required] is None:
            flag = "--" + required.removesuffix("_id")
            raise ValueError(f"a {role.value} token needs {flag} ID")
        token = issue(
            settings.auth,
            role=role,
            subject=args.subject or f"dev-{role.value}",
            ttl=ttl,
            manufacturer_id=manufacturer_id,
            customer_id=customer_id,
        )
    except (ValueError, InvalidToken) as exc:
        print(f"opsgraph: {exc}", file=sys.stderr)
        return 2
    print(token)
    print(f"Send it as the header  Authorization: Bearer {token[:12]}…", file=sys.stderr)
    return 0


def _parse_ttl(value: str) -> timedelta:
    match = _TTL.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"--ttl must look like 90s, 30m, 8h or 7d, got {value!r}")
    amount, unit = int(match[1]), _UNITS[match[2]]
    if amount <= 0:
        raise ValueError("--ttl must be positive")
    return timedelta(**{unit: amount})


def _parse_id(value: str | None, flag: str, type_name: str) -> uuid.UUID | None:
    if value is None:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        pass
    try:
        found, pk = decode_id(value)
    except InvalidGlobalId:
        raise ValueError(f"{flag} must be a UUID or a {type_name} ID") from None
    if found != type_name:
        raise ValueError(f"{flag} must be a {type_name} ID, not a {found} ID")
    return pk
