"""System checks: a deployment's rule overrides must name real settings with valid values."""

from django.conf import settings
from django.core.checks import Error, register

from tracker.rules.params import RuleParams


@register()
def rule_overrides_check(app_configs, **kwargs):
    try:
        RuleParams.from_mapping(settings.POEMS_RULE_OVERRIDES)
    except (ValueError, TypeError) as exc:
        return [Error(f"POEMS_RULE_OVERRIDES is invalid: {exc}", id="tracker.E001")]
    return []


@register()
def schedule_overrides_check(app_configs, **kwargs):
    from tracker.rules.schedule_params import ScheduleParams

    try:
        ScheduleParams.from_mapping(getattr(settings, "POEMS_SCHEDULE_OVERRIDES", {}))
    except (ValueError, TypeError) as exc:
        return [Error(f"POEMS_SCHEDULE_OVERRIDES is invalid: {exc}", id="tracker.E011")]
    return []
