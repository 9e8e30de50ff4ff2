"""What to write instead of printing a fact whole: the page language's hint for a model object,
list or group a template printed without a filter (the model refuses to be printed with
`ModelPrintError`; the renderer's message, carekb/render/jinja_env.py, asks here what to say)."""

from __future__ import annotations

import re
from typing import Any

from carekb.model.facts import Figure, Level, Modality, Node, Note, Source


def print_hint(value: Any) -> str:
    """What to write instead of printing `value` itself (a model object, list or group)."""
    path = getattr(value, "path", None) or "this"
    in_list = re.fullmatch(r"(.+)\[\d+\]", path)
    if in_list and isinstance(value, Figure):
        shown = "stay" if in_list.group(1).endswith("length_of_stay") else "costs"
        return f"is a figure in a list: write {{{{ {in_list.group(1)} | {shown} }}}}"
    if in_list and isinstance(value, Note):
        return (f"is a sourced sentence in a list: write {{% for item in {in_list.group(1)} %}}"
                f"{{{{ item | note }}}}{{% endfor %}}")
    if isinstance(value, Figure):
        return f"is a figure: write {{{{ {path} | figure }}}}"
    if isinstance(value, Note):
        return f"is a sourced sentence: write {{{{ {path} | note }}}}"
    if isinstance(value, (Level, Modality)):
        return (f"is a {'level' if isinstance(value, Level) else 'therapy'}: write "
                f"{{{{ link(\"{value.id}\") }}}} or a field such as {{{{ {path}.name }}}}")
    if isinstance(value, Source):
        return f"is a source: write {{{{ cite(\"{value.id}\") }}}} or {{{{ {path}.title }}}}"
    if isinstance(value, dict) and path.endswith(".figures") and value:
        return f"is a set of named figures: write {{{{ fact(\"{path}.{next(iter(value))}\") }}}}"
    if isinstance(value, dict) and any(isinstance(v, Figure) for v in value.values()):
        return f"is a set of figures: write {{{{ {path} | hours }}}}"
    if isinstance(value, dict):
        first = next(iter(value), "<id>")
        return (f"is a group of facts: loop over it, or write one entry's field, such as "
                f"{{{{ {path}.{first}.name }}}}")
    if isinstance(value, (list, tuple)) and path == "this":
        return "holds facts: loop over it and write one field of each, such as {{ item.name }}"
    if isinstance(value, list) and any(isinstance(v, Figure) for v in value):
        shown = "stay" if path.endswith("length_of_stay") else "costs"
        return f"is a list of figures: write {{{{ {path} | {shown} }}}}"
    if isinstance(value, list) and any(isinstance(v, Note) for v in value):
        return (f"is a list of sourced sentences: write {{% for item in {path} %}}"
                f"{{{{ item | note }}}}{{% endfor %}}")
    if isinstance(value, list) and any(isinstance(v, Node) for v in value):
        return (f"is a list of facts: write {{% for item in {path} %}}{{{{ item.name }}}}"
                f"{{% endfor %}}")
    if isinstance(value, list):
        return f"is a list: loop over it, or write {{{{ {path} | join(\", \") }}}}"
    return "is a fact with several fields: write one field of it, such as its name"
