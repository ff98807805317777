"""Editable default thresholds for 大樱桃 under cover, one set per growth stage.

These are starting values for a new installation, not agronomic advice: every number is editable in the admin.
Sources (farm-advice literature): 刘俊利, 河北果树 2004(01); 贾化川 et al. 2014, 安徽农业科学 42(3). Where the
sources give one figure ("~10 °C", "~60%") we allow ±2 °C / ±5 % around it — our choice, marked "≈" below.
A value beyond a limit by `critical_delta` is critical (for bloom: pollen viability drops at ≥ 30 °C).
"""

from django.db import migrations

CROP = "大樱桃"
NOTE = "可编辑的默认值。来源：刘俊利，河北果树 2004(01)；贾化川等，安徽农业科学 2014, 42(3)。"

# stage: air temperature (day min, day max, night min, night max, critical delta), humidity (min, max) or None
DEFAULTS = {
    "budbreak": ((12, 18, 5, 6, 5), (70, 80)),  # raise slowly; night 5–6 °C
    "prebloom": ((18, 21, 6, 7, 5), None),
    "bloom": ((16, 20, 5, None, 10), (50, 60)),  # ≥ 30 °C harms pollen: critical
    "fruit_set": ((18, 22, 7, 10, 5), (55, 65)),  # RH ≈ 60 %
    "expansion": ((22, 25, 8, 12, 5), (55, 65)),  # max 30 °C; night ≈ 10 °C; RH ≈ 60 %
    "colouring": ((None, 30, 12, 15, 5), (50, 60)),  # 23–24 optimal; avoid swings (cracking)
}


def add_defaults(apps, schema_editor):
    ThresholdSet = apps.get_model("iot", "ThresholdSet")
    Threshold = apps.get_model("iot", "Threshold")
    for stage, (temp, humidity) in DEFAULTS.items():
        tset, created = ThresholdSet.objects.get_or_create(crop=CROP, stage=stage, defaults={"note": NOTE})
        if not created:
            continue
        day_min, day_max, night_min, night_max, delta = temp
        Threshold.objects.create(
            threshold_set=tset,
            kind="air_temp",
            day_min=day_min,
            day_max=day_max,
            night_min=night_min,
            night_max=night_max,
            critical_delta=delta,
            severity="major",
            duration_minutes=10,
            hysteresis=0.5,
        )
        if humidity:
            low, high = humidity
            Threshold.objects.create(
                threshold_set=tset,
                kind="air_humidity",
                day_min=low,
                day_max=high,
                night_min=low,
                night_max=high,
                severity="minor",
                duration_minutes=30,
                hysteresis=2,
            )


class Migration(migrations.Migration):
    dependencies = [("iot", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
