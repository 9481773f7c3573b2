"""PutAlarm, GetAlarms, DeleteAlarm and TestAlarm.

The rules are the PutAlarm documentation's (docs/service-reference.md §4): two alarms
per metric per monitored resource, 1 to 288 evaluation periods, ``datapointsToAlarm``
between 1 and ``evaluationPeriods`` (default: all of them), ``ALARM`` among the
notification triggers. An update keeps the state and replaces the whole configuration
(omitted options go back to their defaults) and is re-evaluated at once; a new alarm starts
in ``INSUFFICIENT_DATA`` and is evaluated at once (``engine/timeline.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lightmock.core.domain import (
    METRICS_BY_RESOURCE_TYPE,
    AlarmState,
    ComparisonOperator,
    ContactProtocol,
    ResourceType,
    TreatMissingData,
)
from lightmock.core.exceptions import InvalidInputException, NotFoundException
from lightmock.core.ids import new_id
from lightmock.core.quoting import quoted
from lightmock.core.records import Alarm, AlarmConfig, Resource, built_in_order
from lightmock.core.wire import Wire, arn, request_tags
from lightmock.engine import timeline
from lightmock.engine.store import RegionState
from lightmock.service import paging
from lightmock.service.catalogue import support_code
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Taggable

MAX_EVALUATION_PERIODS = 288
MAX_ALARMS_PER_METRIC = 2


# Wire string -> member, by plain dict lookup: PutAlarm is on every alarm test's path, and
# calling an enum class costs several times as much. Validation has already refused any
# string that is not a member.
_OPERATORS = {member.value: member for member in ComparisonOperator}
_TREATMENTS = {member.value: member for member in TreatMissingData}
_PROTOCOLS = {member.value: member for member in ContactProtocol}
_STATES = {member.value: member for member in AlarmState}
_ALARM = AlarmState.ALARM
_MISSING = TreatMissingData.MISSING
_ALARM_TYPE = ResourceType.ALARM
_DEFAULT_TRIGGERS = (_ALARM,)
#: Each type's metrics that an alarm can watch, in the catalogue's order (none: the type
#: cannot be watched).
_ALARMABLE = {
    resource_type: {name: spec for name, spec in metrics.items() if spec.alarmable}
    for resource_type, metrics in METRICS_BY_RESOURCE_TYPE.items()
}
_alarm_config = built_in_order(AlarmConfig)


def _configure(context: RequestContext, params: dict[str, Any]) -> AlarmConfig:
    """The configuration PutAlarm asks for, every rule checked; raises on the first broken one.

    Repeated triggers and protocols count once (``dict.fromkeys`` keeps the first of each).
    """
    periods = params["evaluationPeriods"]
    if not 1 <= periods <= MAX_EVALUATION_PERIODS:
        raise InvalidInputException(
            f"evaluationPeriods: {periods} is out of range; an alarm evaluates from 1 to "
            f"{MAX_EVALUATION_PERIODS} periods of 5 minutes",
            code="InvalidEvaluationPeriods",
        )
    datapoints = params.get("datapointsToAlarm", periods)
    if not 1 <= datapoints <= periods:
        raise InvalidInputException(
            f"datapointsToAlarm: {datapoints} must be from 1 to evaluationPeriods ({periods})",
            code="InvalidDatapointsToAlarm",
        )
    triggers = tuple(dict.fromkeys(map(_STATES.__getitem__, params.get("notificationTriggers", _DEFAULT_TRIGGERS))))
    if _ALARM not in triggers:
        raise InvalidInputException(
            "notificationTriggers: the ALARM state must be specified when you specify notification "
            "triggers; INSUFFICIENT_DATA and OK can be specified in addition to ALARM",
            code="InvalidNotificationTriggers",
        )
    resource_name = params["monitoredResourceName"]
    resource = context.state.find_resource(resource_name)
    if resource is None:
        raise NotFoundException(
            f"The monitored resource does not exist: {quoted(resource_name, bare=True)}. Alarms can monitor instances, "
            "load balancers and relational databases in this region",
            code="DoesNotExist",
        )
    alarmable = _ALARMABLE[resource.resource_type]
    if not alarmable:
        # "Instances, load balancers, and relational databases are the only Lightsail resources
        # that can currently be monitored by alarms" (PutAlarm doc; docs/service-reference.md §18.6).
        raise InvalidInputException(
            f"monitoredResourceName: {resource.name} is a {resource.resource_type}; instances, load balancers and "
            "relational databases are the only Lightsail resources that can be monitored by alarms",
            code="InvalidResourceType",
        )
    metric = alarmable.get(params["metricName"])
    if metric is None:
        raise InvalidInputException(
            f"metricName: {quoted(params['metricName'], bare=True)} is not a metric of the {resource.resource_type} "
            f"{resource.name}; alarms on a {resource.resource_type} can use: {', '.join(alarmable)}",
            code="InvalidMetricName",
        )
    protocols = tuple(dict.fromkeys(map(_PROTOCOLS.__getitem__, params.get("contactProtocols", ()))))
    return _alarm_config(
        (
            metric,
            resource,
            _OPERATORS[params["comparisonOperator"]],
            params["threshold"],  # a float: validation made it one
            periods,
            datapoints,
            _TREATMENTS[params.get("treatMissingData", _MISSING)],
            protocols,
            triggers,
            params.get("notificationEnabled", True),
            (resource.resource_type, resource.name, metric.name),
        )
    )


def _check_limit(context: RequestContext, name: str, config: AlarmConfig) -> None:
    # The region's index of alarms by metric: the cost does not grow with the region's alarms.
    others = context.state.watchers.get(config.metric_key, ())
    watching = len(others) - (name in others)
    if watching >= MAX_ALARMS_PER_METRIC:
        raise InvalidInputException(
            f"You can configure up to {MAX_ALARMS_PER_METRIC} alarms per metric: the {config.metric.name} "
            f"metric of {config.resource.name} already has {watching}",
            code="AlarmLimitExceeded",
        )


def _operation(context: RequestContext, name: str, operation_type: str) -> Wire:
    return context.operation(resource_name=name, resource_type=_ALARM_TYPE, operation_type=operation_type)


def put_alarm(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params["alarmName"]
    config = _configure(context, params)
    tags = request_tags(params)  # checked on an update too, though an update keeps the alarm's own
    _check_limit(context, name, config)
    existing = context.state.alarms.get(name)
    if existing is None:
        alarm_id = new_id()
        alarm = Alarm(
            name=name,
            region=context.region,
            account_id=context.account_id,
            arn=arn(context.region, context.account_id, _ALARM_TYPE, alarm_id),
            support_code=support_code(context.account_id, alarm_id),
            created_at=context.now,
            tags=tuple(tags),
            config=config,
        )
        context.state.add_alarm(alarm)
    else:
        # "its state is left unchanged, but the update completely overwrites the previous
        # configuration" (PutAlarm). Tags are not configuration: they change through
        # TagResource, so an update keeps them.
        alarm = existing
        context.state.reconfigure(alarm, config)
    timeline.evaluate_now(context.store, context.state, alarm, context.now)
    alarm.publish()
    return {"operations": [_operation(context, name, "PutAlarm")]}


def _published(alarm: Alarm) -> Wire:
    return alarm.wire


def _existing(context: RequestContext, name: str) -> Alarm:
    """The region's alarm of that name, or the service's ``NotFoundException``."""
    alarm = context.state.alarms.get(name)
    if alarm is None:
        raise NotFoundException(f"The alarm does not exist: {quoted(name, bare=True)}", code="DoesNotExist")
    return alarm


def get_alarms(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params.get("alarmName")
    resource_name = params.get("monitoredResourceName")
    # One alarm when it is named (a NotFoundException when it is not there), else all of them.
    listed = paging.indexed(context.state.alarms) if name is None else paging.listing([_existing(context, name)])
    keep = None if resource_name is None else (lambda alarm: alarm.config.resource.name == resource_name)
    return paging.page(
        listed,
        operation="GetAlarms",
        member="alarms",
        params=params,
        page_size=context.store.options.page_size,
        publish=_published,
        keep=keep,
    )


def delete_alarm(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = _existing(context, params["alarmName"]).name
    context.state.remove_alarm(name)
    return {"operations": [_operation(context, name, "DeleteAlarm")]}


def test_alarm(context: RequestContext, params: dict[str, Any]) -> Wire:
    alarm = _existing(context, params["alarmName"])
    timeline.notify(context.store, context.state, alarm, AlarmState(params["state"]), context.now, test=True)
    return {"operations": [_operation(context, alarm.name, "TestAlarm")]}


test_alarm.__test__ = False  # type: ignore[attr-defined]  # not a pytest test, despite its name


def remove_for_resource(context: RequestContext, resource: Resource) -> None:
    """Delete the alarms that watch ``resource`` (called when the resource is deleted).

    Undocumented by AWS (docs/service-reference.md §10.8); an alarm whose resource is gone
    could never leave INSUFFICIENT_DATA, and a new resource of the same name is a
    different resource, so the alarms go with it.
    """
    state = context.state
    doomed = [
        name
        for metric in METRICS_BY_RESOURCE_TYPE[resource.resource_type]
        for name in state.watchers.get((resource.resource_type, resource.name, metric), ())
        if state.alarms[name].config.resource is resource
    ]
    for name in doomed:
        state.remove_alarm(name)


def _tag_targets(state: RegionState, name: str) -> Iterator[Taggable]:
    """The alarm of that name, as TagResource reaches it."""
    alarm = state.alarms.get(name)
    if alarm is None:
        return

    def store(tags: list[Wire]) -> None:
        alarm.tags = tuple(tags)
        alarm.publish()

    yield Taggable(alarm.name, alarm.arn, ResourceType.ALARM, "all", list(alarm.tags), store)


FAMILY = Family(
    title="Alarms",
    operations={
        "PutAlarm": put_alarm,
        "GetAlarms": get_alarms,
        "DeleteAlarm": delete_alarm,
        "TestAlarm": test_alarm,
    },
    tag_targets=_tag_targets,
)
