"""Print the operations of the installed botocore's model that lightmock does not answer yet,
as tests/test_every_operation.py's NOT_YET lists them (a maintainer's aid)."""

from lightmock.schema.model import service_model
from lightmock.service.families import OPERATIONS

for name in sorted(set(service_model().operation_names) - set(OPERATIONS)):
    print(name)
