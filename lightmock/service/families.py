"""The family table: every family lightmock answers for, in the order the operations page
lists them. Cross-cutting code (dispatch, TagResource, the HTML summary, the operations page,
the contract tests) iterates it; adding a family is one line here and its own module."""

from __future__ import annotations

from lightmock.service import (
    alarms,
    certificates,
    contacts,
    databases,
    distributions,
    domains,
    instance_https,
    instances,
    key_pairs,
    lb_tls,
    lifecycle,
    load_balancers,
    metricdata,
    operations,
    ports,
    static_ips,
    tags,
)
from lightmock.service.kinds import FamilyTable, Handler

TABLE = FamilyTable.of(
    (
        alarms.FAMILY,
        contacts.FAMILY,
        metricdata.FAMILY,
        instances.FAMILY,
        lifecycle.FAMILY,
        ports.FAMILY,
        load_balancers.FAMILY,
        databases.FAMILY,
        static_ips.FAMILY,
        key_pairs.FAMILY,
        tags.FAMILY,
        operations.FAMILY,
        domains.FAMILY,
        certificates.FAMILY,
        lb_tls.FAMILY,
        distributions.FAMILY,
        instance_https.FAMILY,
    )
)


def _operations() -> dict[str, Handler]:
    table: dict[str, Handler] = {}
    for family in TABLE.families:
        for name, handler in family.operations.items():
            if name in table:
                raise RuntimeError(f"{name} is declared by two families")  # pragma: no cover - a programming error
            table[name] = handler
    return dict(sorted(table.items()))


#: Every operation lightmock answers, by name: the union of the families' tables.
OPERATIONS: dict[str, Handler] = _operations()
