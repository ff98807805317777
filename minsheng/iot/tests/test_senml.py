"""The resolver against RFC 8428's own examples (section 5.1) and against bad records."""

import json

import pytest

from minsheng.iot.senml import resolve

NOW = 1_800_000_000.0

# Each example is verbatim from RFC 8428 section 5.1 (whitespace aside), typos included.

# RFC 8428, 5.1.1 Single Data Point
SINGLE = """[
  {"n":"urn:dev:ow:10e2073a01080063","u":"Cel","v":23.1}
]"""

# RFC 8428, 5.1.2 Multiple Data Points (first example)
MULTIPLE = """[
  {"bn":"urn:dev:ow:10e2073a01080063:","n":"voltage","u":"V","v":120.1},
  {"n":"current","u":"A","v":1.2}
]"""

# RFC 8428, 5.1.2 Multiple Data Points (second example: base time, base unit, version, relative times)
MULTIPLE_TIMED = """[
  {"bn":"urn:dev:ow:10e2073a0108006:","bt":1.276020076001e+09,
   "bu":"A","bver":5,
   "n":"voltage","u":"V","v":120.1},
  {"n":"current","t":-5,"v":1.2},
  {"n":"current","t":-4,"v":1.3},
  {"n":"current","t":-3,"v":1.4},
  {"n":"current","t":-2,"v":1.5},
  {"n":"current","t":-1,"v":1.6},
  {"n":"current","v":1.7}
]"""

# RFC 8428, 5.1.3 Multiple Measurements
MEASUREMENTS = """[
  {"bn":"urn:dev:ow:10e2073a01080063","bt":1.320067464e+09,
   "bu":"%RH","v":20},
  {"u":"lon","v":24.30621},
  {"u":"lat","v":60.07965},
  {"t":60,"v":20.3},
  {"u":"lon","t":60,"v":24.30622},
  {"u":"lat","t":60,"v":60.07965},
  {"t":120,"v":20.7},
  {"u":"lon","t":120,"v":24.30623},
  {"u":"lat","t":120,"v":60.07966},
  {"u":"%EL","t":150,"v":98},
  {"t":180,"v":21.2},
  {"u":"lon","t":180,"v":24.30628},
  {"u":"lat","t":180,"v":60.07967}
]"""

# RFC 8428, 5.1.4 Resolved Data: the example of 5.1.3 in resolved form
RESOLVED = """[
  {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067464e+09,
   "v":20},
  {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067464e+09,
   "v":24.30621},
  {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067464e+09,
   "v":60.07965},
  {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067524e+09,
   "v":20.3},
  {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067524e+09,
   "v":24.30622},
  {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067524e+09,
   "v":60.07965},
  {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067584e+09,
   "v":20.7},
  {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067584e+09,
   "v":24.30623},
  {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067584e+09,
   "v":60.07966},
  {"n":"urn:dev:ow:10e2073a01080063","u":"%EL","t":1.320067614e+09,
   "v":98},
  {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067644e+09,
   "v":21.2},
  {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067644e+09,
   "v":24.30628},
  {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067644e+09,
   "v":60.07967}
]"""

# RFC 8428, 5.1.5 Multiple Data Types ("nfv-reader" is the RFC's own spelling)
DATA_TYPES = """[
  {"bn":"urn:dev:ow:10e2073a01080063:","n":"temp","u":"Cel","v":23.1},
  {"n":"label","vs":"Machine Room"},
  {"n":"open","vb":false},
  {"n":"nfv-reader","vd":"aGkgCg"}
]"""

# RFC 8428, 5.1.6 Collection of Resources: a second base name; the last record keeps the first base time
COLLECTION = """[
  {"bn":"2001:db8::2/","bt":1.320078429e+09,
   "n":"temperature","u":"Cel","v":25.2},
  {"n":"humidity","u":"%RH","v":30},
  {"bn":"2001:db8::1/","n":"temperature","u":"Cel","v":12.3},
  {"n":"humidity","u":"%RH","v":67}
]"""

# RFC 8428, 5.1.7 Setting an Actuator: the first record carries the base name only
ACTUATOR = """[
  {"bn":"urn:dev:ow:10e2073a01080063:"},
  {"n":"temp","u":"Cel","v":23.1},
  {"n":"heat","u":"/","v":1},
  {"n":"fan","u":"/","v":0}
]"""


def test_single_datapoint_without_time_is_now():
    records, errors = resolve(json.loads(SINGLE), now=NOW)
    assert errors == []
    [r] = records
    assert (r.name, r.unit, r.value, r.time) == ("urn:dev:ow:10e2073a01080063", "Cel", 23.1, NOW)


def test_base_name_is_prefixed_to_every_record():
    records, errors = resolve(json.loads(MULTIPLE), now=NOW)
    assert errors == []
    assert [(r.name, r.unit, r.value) for r in records] == [
        ("urn:dev:ow:10e2073a01080063:voltage", "V", 120.1),
        ("urn:dev:ow:10e2073a01080063:current", "A", 1.2),
    ]


def test_base_time_plus_relative_time_and_base_unit():
    records, errors = resolve(json.loads(MULTIPLE_TIMED), now=NOW)
    assert errors == []
    assert len(records) == 7
    assert records[0].unit == "V"  # the record's own unit beats the base unit
    currents = records[1:]
    assert {r.unit for r in currents} == {"A"}
    assert [r.value for r in currents] == [1.2, 1.3, 1.4, 1.5, 1.6, 1.7]
    assert [round(r.time - 1276020076.001, 3) for r in currents] == [-5, -4, -3, -2, -1, 0]


def test_multiple_measurements_resolve_to_the_rfcs_resolved_form():
    records, errors = resolve(json.loads(MEASUREMENTS), now=NOW)
    assert errors == []
    expected = [(r["n"], r["u"], r["t"], r["v"]) for r in json.loads(RESOLVED)]
    assert [(r.name, r.unit, r.time, r.value) for r in records] == expected


def test_string_boolean_and_data_values():
    records, errors = resolve(json.loads(DATA_TYPES), now=NOW)
    assert errors == []
    assert [(r.name.rsplit(":", 1)[1], r.value, r.value_field) for r in records] == [
        ("temp", 23.1, "v"),
        ("label", "Machine Room", "vs"),
        ("open", False, "vb"),
        ("nfv-reader", "aGkgCg", "vd"),
    ]


def test_a_new_base_name_keeps_the_earlier_base_time():
    records, errors = resolve(json.loads(COLLECTION), now=NOW)
    assert errors == []
    assert [(r.name, r.value, r.time) for r in records] == [
        ("2001:db8::2/temperature", 25.2, 1320078429.0),
        ("2001:db8::2/humidity", 30, 1320078429.0),
        ("2001:db8::1/temperature", 12.3, 1320078429.0),
        ("2001:db8::1/humidity", 67, 1320078429.0),
    ]


def test_a_record_with_the_base_name_only_carries_no_value():
    records, errors = resolve(json.loads(ACTUATOR), now=NOW)
    assert errors == []
    assert [(r.name, r.unit, r.value, r.time) for r in records] == [
        ("urn:dev:ow:10e2073a01080063:temp", "Cel", 23.1, NOW),
        ("urn:dev:ow:10e2073a01080063:heat", "/", 1, NOW),
        ("urn:dev:ow:10e2073a01080063:fan", "/", 0, NOW),
    ]


def test_small_times_are_relative_to_now_and_base_value_is_added():
    records, _ = resolve([{"bn": "gh1-t", "bv": 20, "v": 1.5, "t": -60}], now=NOW)
    assert (records[0].name, records[0].value, records[0].time) == ("gh1-t", 21.5, NOW - 60)


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"n": "a", "v": "12"}, "字段 v 必须是有限数值"),
        ({"n": "a"}, "须有且仅有"),
        ({"n": "a", "v": 1, "vs": "x"}, "多个值字段"),
        ({"n": " bad name", "v": 1}, "名称无效"),
        ({"n": "a", "v": 1, "t": "soon"}, "字段 t 必须是有限数值"),
        ({"n": "a", "v": 1, "bver": 11}, "不支持的 SenML 版本"),
        ({"n": "a", "v": 1, "x_": 1}, "必须理解字段"),
        ("not an object", "不是 JSON 对象"),
    ],
)
def test_bad_records_are_reported_each_and_the_good_ones_kept(record, reason):
    records, errors = resolve([{"n": "ok", "v": 1}, record, {"n": "ok2", "v": 2}], now=NOW)
    assert [r.name for r in records] == ["ok", "ok2"]
    assert len(errors) == 1 and errors[0].index == 1 and reason in errors[0].reason


def test_a_pack_must_be_an_array():
    records, errors = resolve({"n": "a", "v": 1})
    assert records == [] and "数组" in errors[0].reason
