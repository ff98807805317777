"""Serializer fields built once per class: each instance still gets its own fields, bound to it."""

from rest_framework import serializers

from minsheng.core.api_fields import PrototypeFieldsMixin


class Child(serializers.Serializer):
    who = serializers.SerializerMethodField()

    def get_who(self, obj) -> str:
        return self.context["who"]


class Sample(PrototypeFieldsMixin, serializers.Serializer):
    name = serializers.CharField(max_length=3)
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    child = Child(source="*", read_only=True)


def test_each_instance_has_its_own_bound_fields():
    a, b = Sample(context={"who": "a"}), Sample(context={"who": "b"})
    assert a.fields["name"] is not b.fields["name"]
    assert a.fields["name"].parent is a and b.fields["name"].parent is b
    assert "_field_prototypes" in Sample.__dict__
    assert Sample.__dict__["_field_prototypes"]["name"].parent is None  # the prototypes stay unbound


def test_validation_and_nested_context_per_instance():
    assert Sample(data={"name": "abcd"}).is_valid() is False
    ok = Sample(data={"name": "abc", "tags": ["x"]})
    assert ok.is_valid(), ok.errors
    assert ok.validated_data == {"name": "abc", "tags": ["x"]}
    assert Sample({"name": "x"}, context={"who": "a"}).data["child"] == {"who": "a"}
    assert Sample({"name": "x"}, context={"who": "b"}).data["child"] == {"who": "b"}
