"""(being written)"""
from typing import Any
def _todo(*a: Any) -> Any: raise NotImplementedError
create_instances = create_load_balancer = create_relational_database = delete_instance = delete_load_balancer = delete_relational_database = get_blueprints = get_bundles = get_instance = get_instances = get_load_balancer = get_load_balancers = get_relational_database = get_relational_database_blueprints = get_relational_database_bundles = get_relational_databases = _todo
