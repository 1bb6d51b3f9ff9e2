import pytest

from danvan.imports import registry
from danvan.imports.mapping import TargetField


def _validate(actor, values):
    if not values.get("name"):
        return {}, [("name", "Thiếu tên.")]
    return {"name": values["name"]}, []


def test_register_get_and_duplicate_refused(monkeypatch):
    monkeypatch.setattr(registry, "_REGISTRY", {})
    written = []
    imp = registry.Importer(
        kind="demo.things", label="Thử", fields=(TargetField("name", "Tên", required=True),),
        validate_row=_validate, write_row=lambda actor, clean: written.append(clean),
    )
    assert registry.register(imp) is imp
    assert registry.register(imp) is imp  # re-import of the module is harmless
    assert registry.get("demo.things") is imp
    assert registry.all_importers() == [imp]
    with pytest.raises(ValueError):
        registry.register(registry.Importer("demo.things", "Khác", (), _validate, lambda a, c: None))
    assert imp.validate_row(None, {"name": ""}) == ({}, [("name", "Thiếu tên.")])
    clean, errors = imp.validate_row(None, {"name": "A"})
    imp.write_row(None, clean)
    assert written == [{"name": "A"}] and errors == []
