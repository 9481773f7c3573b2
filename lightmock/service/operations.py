"""GetOperation, GetOperations and GetOperationsForResource: the region's log of operations.

Every Operation record a call returns is logged by ``RequestContext.operation`` as it
finished: ``Succeeded`` and terminal, because the mock carries out every operation before
it answers. Terraform's AWS provider waits on GetOperation after each create and delete
until the status is ``Succeeded`` or ``Completed``; a log that kept a create ``Started``
would keep it waiting forever.

Listings are newest first, as the aws-cli ``get-operations`` example shows them
(https://github.com/aws/aws-cli/blob/develop/awscli/examples/lightsail/get-operations.rst).
``GetOperationsForResource`` pages with ``nextPageToken`` only: ``nextPageCount`` "is
discontinued" (https://docs.aws.amazon.com/lightsail/2016-11-28/api-reference/API_GetOperationsForResource.html).
"""

from __future__ import annotations

from typing import Any

from lightmock.core.exceptions import NotFoundException
from lightmock.core.quoting import quoted
from lightmock.core.wire import Wire
from lightmock.service import paging
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family


def _page(context: RequestContext, operation: str, params: dict[str, Any], positions: paging.Indexed[int]) -> Wire:
    region = context.region
    return paging.page(
        paging.newest_first(context.state.operations, positions),
        operation=operation,
        member="operations",
        params=params,
        page_size=context.store.options.page_size,
        publish=lambda record: record.wire(region),
    )


def get_operation(context: RequestContext, params: dict[str, Any]) -> Wire:
    record = context.state.operations.get(params["operationId"])
    if record is None:
        raise NotFoundException(
            f"The operation does not exist: {quoted(params['operationId'], bare=True)}", code="DoesNotExist"
        )
    return {"operation": record.wire(context.region)}


def get_operations(context: RequestContext, params: dict[str, Any]) -> Wire:
    return _page(context, "GetOperations", params, range(len(context.state.operations)))


def get_operations_for_resource(context: RequestContext, params: dict[str, Any]) -> Wire:
    positions = context.state.operations.positions_of(params["resourceName"])
    return _page(context, "GetOperationsForResource", params, positions)


FAMILY = Family(
    title="Operations",
    operations={
        "GetOperation": get_operation,
        "GetOperations": get_operations,
        "GetOperationsForResource": get_operations_for_resource,
    },
)
