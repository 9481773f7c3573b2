"""The family table: every family lightmock answers for, in the order the operations page
lists them. Cross-cutting code (dispatch, TagResource, the HTML summary, the operations page,
the contract tests) iterates it; adding a family is one line here and its own module."""

from __future__ import annotations

from lightmock.service import (
    alarms,
    auto_snapshots,
    bucket_keys,
    buckets,
    certificates,
    cloudformation_stacks,
    contacts,
    container_deployments,
    container_logs,
    containers,
    costs,
    database_events,
    database_lifecycle,
    database_logs,
    database_parameters,
    database_passwords,
    database_restores,
    database_snapshots,
    database_updates,
    databases,
    disks,
    distributions,
    domains,
    exports,
    gui_sessions,
    instance_access,
    instance_https,
    instances,
    ip_address_types,
    key_pairs,
    lb_tls,
    lifecycle,
    load_balancers,
    metricdata,
    operations,
    ports,
    profile,
    regions,
    restores,
    snapshots,
    static_ips,
    subdomain_associations,
    subdomain_names,
    subdomains,
    tags,
    vpc_peering,
)
from lightmock.service.kinds import CatchUp, FamilyTable, Handler

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
        database_snapshots.FAMILY,
        database_restores.FAMILY,
        database_lifecycle.FAMILY,
        database_updates.FAMILY,
        database_parameters.FAMILY,
        database_events.FAMILY,
        database_logs.FAMILY,
        database_passwords.FAMILY,
        static_ips.FAMILY,
        key_pairs.FAMILY,
        tags.FAMILY,
        operations.FAMILY,
        disks.FAMILY,
        snapshots.FAMILY,
        restores.FAMILY,
        auto_snapshots.FAMILY,
        exports.FAMILY,
        regions.FAMILY,
        instance_access.FAMILY,
        ip_address_types.FAMILY,
        costs.FAMILY,
        buckets.FAMILY,
        bucket_keys.FAMILY,
        containers.FAMILY,
        container_deployments.FAMILY,
        container_logs.FAMILY,
        vpc_peering.FAMILY,
        cloudformation_stacks.FAMILY,
        domains.FAMILY,
        certificates.FAMILY,
        lb_tls.FAMILY,
        distributions.FAMILY,
        instance_https.FAMILY,
        gui_sessions.FAMILY,
        subdomain_names.FAMILY,
        subdomains.FAMILY,
        subdomain_associations.FAMILY,
        profile.FAMILY,
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

#: The families' ``catch_up`` callables, run by dispatch before every handler.
CATCH_UPS: tuple[CatchUp, ...] = tuple(family.catch_up for family in TABLE.families if family.catch_up is not None)
