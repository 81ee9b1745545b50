"""Where the product may send a request on a department's behalf: the rule for webhook targets.

A webhook URL is typed by an admin, but whatever it names is fetched by the scheduler from
inside the deployment, next to the database, Redis and the cloud's metadata service. So a
target must be a public address: loopback, link-local (169.254.169.254 included), private,
shared (carrier NAT), multicast, unspecified and reserved addresses are refused, however they
are spelt (`::ffff:127.0.0.1` is 127.0.0.1) and whatever a name resolves to. A department's
own system on the city's network is a real case: an operator lists such hosts, by name or by
address, in INGATKAN_WEBHOOK_ALLOWED_HOSTS (config.settings.parse_host_list).

The rule is checked when a webhook is registered and again for every connection the
deliverer opens, on the addresses it is about to connect to: a public name may resolve to a
private address by the time it is used.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Collection

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
RESOLVE_SECONDS = 5.0


class TargetRefused(Exception):
    """The target is, or resolves to, an address webhooks may not reach. The message names
    the host and the address, nothing else."""


def _unmapped(address: IPAddress) -> IPAddress:
    """`::ffff:10.1.2.3` is 10.1.2.3."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def host_name(host: str) -> str:
    """One spelling of a host, for a URL's and the allow-list's alike: a name lower-cased
    without its final dot, an address as ipaddress writes it, IPv4 when it is one."""
    host = host.strip().strip("[]").rstrip(".").lower()
    try:
        return str(_unmapped(ipaddress.ip_address(host)))
    except ValueError:
        return host


def is_public(address: IPAddress) -> bool:
    address = _unmapped(address)
    # is_global is False for loopback, link-local, private, shared, unspecified and reserved
    # ranges; a few multicast ranges count as global, and are no place for a webhook either.
    return address.is_global and not address.is_multicast


async def resolve(host: str, port: int) -> list[IPAddress]:
    """The addresses `host` stands for (itself when it is one); OSError when it has none."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        found = await asyncio.wait_for(
            loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), RESOLVE_SECONDS
        )
    except TimeoutError as error:
        raise OSError(f"resolving {host} took longer than {RESOLVE_SECONDS:g} s") from error
    # A scoped IPv6 address comes back as "fe80::1%eth0"; the scope is not part of the address.
    return list(
        dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found)
    )


async def checked_addresses(host: str, port: int, allowed: Collection[str]) -> list[IPAddress]:
    """The addresses to connect to for `host`, every one of them allowed; TargetRefused when
    any is not (a name with one private address among public ones is refused whole)."""
    name = host_name(host)
    allowed = {host_name(entry) for entry in allowed}  # the operator's list, as typed
    addresses = await resolve(name, port)
    if name in allowed:
        return addresses
    for address in addresses:
        if not is_public(address) and str(_unmapped(address)) not in allowed:
            shown = name if name == str(address) else f"{name} ({address})"
            raise TargetRefused(f"{shown} is not a public address")
    return addresses
