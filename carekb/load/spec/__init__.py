"""The field-spec language: core.py holds what every spec is (a field, a spec, the reading
context, misspellings); scalars.py the kinds of one value (text, numbers, dates, references);
shapes.py the shapes that hold other specs (objects, maps of ids) and what is derived from them
(the JSON Schema, the model's fields for the impact map). Import each name from the module
that defines it."""
